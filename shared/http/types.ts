/** The protocol-neutral request a use case sees (the handler builds it from the API Gateway event). */
export interface HttpRequest {
  method: string;
  /** The matched route, e.g. "POST /salesforce/outbound-message/{token}". */
  routeKey: string;
  headers: Record<string, string | undefined>;
  pathParameters: Record<string, string | undefined>;
  body: string;
  requestId: string;
  /** The caller's address as API Gateway saw it (`requestContext.http.sourceIp`). */
  sourceIp?: string;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export function xmlResponse(statusCode: number, body: string): HttpResponse {
  return { statusCode, headers: { 'content-type': 'text/xml; charset=utf-8' }, body };
}

export function jsonResponse(statusCode: number, body: unknown): HttpResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );

/**
 * A SOAP 1.1 fault. Salesforce shows the fault string in Setup → Outbound Messages delivery status,
 * so the reason reaches the admin who can fix it.
 */
export function soapFault(statusCode: number, faultCode: 'Client' | 'Server', reason: string): HttpResponse {
  return xmlResponse(
    statusCode,
    '<?xml version="1.0" encoding="UTF-8"?>' +
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>' +
      `<faultcode>soapenv:${faultCode}</faultcode><faultstring>${escapeXml(reason)}</faultstring>` +
      '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  );
}
