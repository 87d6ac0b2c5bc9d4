/** One Notification element: its 04l ID and the sObject fields (nulls already left out). */
export type NotificationPayload = { id: string; object: string; fields: Array<[string, string]> };

/** The header values of a `notifications` message. */
export type EnvelopeHeader = {
  orgId: string;
  actionId: string;
  sessionId: string | undefined;
  enterpriseUrl: string;
  partnerUrl: string;
};

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** True for the characters XML 1.0 allows (tab, LF, CR and everything from U+0020). */
const xmlAllowed = (c: string) => {
  const code = c.charCodeAt(0);
  return code >= 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
};

/** Escapes text and attribute content; control characters XML 1.0 forbids are dropped. */
export function escapeXml(value: string): string {
  let out = '';
  for (const c of value) if (xmlAllowed(c)) out += XML_ESCAPES[c] ?? c;
  return out;
}

/**
 * Builds the SOAP 1.1 envelope Salesforce posts for an outbound message: `notifications` in the
 * outbound namespace, the sObject typed with `xsi:type="sf:{Type}"` and its fields in the
 * enterprise namespace. All notifications must be of one object type (one WSDL per action).
 */
export function buildNotificationsEnvelope(
  header: EnvelopeHeader,
  notifications: NotificationPayload[],
): string {
  const session = header.sessionId
    ? `<SessionId>${escapeXml(header.sessionId)}</SessionId>`
    : '<SessionId xsi:nil="true"/>';
  const items = notifications.map((n) => {
    const fields = n.fields.map(([name, value]) => `<sf:${name}>${escapeXml(value)}</sf:${name}>`).join('');
    return (
      ` <Notification>\n  <Id>${escapeXml(n.id)}</Id>\n` +
      `  <sObject xsi:type="sf:${escapeXml(n.object)}" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">${fields}</sObject>\n` +
      ' </Notification>\n'
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' +
    '<soapenv:Body>\n' +
    '<notifications xmlns="http://soap.sforce.com/2005/09/outbound">\n' +
    ` <OrganizationId>${escapeXml(header.orgId)}</OrganizationId>\n` +
    ` <ActionId>${escapeXml(header.actionId)}</ActionId>\n` +
    ` ${session}\n` +
    ` <EnterpriseUrl>${escapeXml(header.enterpriseUrl)}</EnterpriseUrl>\n` +
    ` <PartnerUrl>${escapeXml(header.partnerUrl)}</PartnerUrl>\n` +
    items.join('') +
    '</notifications>\n</soapenv:Body>\n</soapenv:Envelope>\n'
  );
}
