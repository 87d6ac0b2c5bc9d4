import { decodeSupportId, type IntacctErrorDetail } from './errors.ts';
import { asArray, createResponseParser, textOf } from './xml.ts';

/** `<data>` of one result: its attributes (listtype, count, totalcount, numremaining, resultId, offset) and rows. */
export interface ResultData {
  attributes: Record<string, string>;
  /** Every child element of `<data>` in order, tagged with its element name. */
  rows: Array<{ tag: string; value: Record<string, unknown> }>;
}

/** One `<result>`, in request order. */
export interface ParsedResult {
  status: 'success' | 'failure' | 'aborted' | string;
  function: string;
  controlId: string;
  key?: string;
  data?: ResultData;
  errors: IntacctErrorDetail[];
}

/** The authentication block that came back with the operation. */
export interface ParsedAuthentication {
  status: string;
  userId?: string;
  companyId?: string;
  locationId?: string;
  sessionTimestamp?: string;
  sessionTimeout?: string;
  errors: IntacctErrorDetail[];
}

/** A whole gateway response. Every control child except `status` is optional (gateway errors omit them). */
export interface ParsedResponse {
  control: { status: string; senderId?: string; controlId?: string; uniqueId?: string; dtdVersion?: string };
  controlErrors: IntacctErrorDetail[];
  authentication?: ParsedAuthentication;
  results: ParsedResult[];
}

const parser = createResponseParser();

/** Parses a gateway body; throws a plain Error when it is not a `<response>` document. */
export function parseResponse(xml: string): ParsedResponse {
  const doc = parser.parse(xml) as Record<string, unknown>;
  const response = doc.response as Record<string, unknown> | undefined;
  if (!response || typeof response !== 'object') throw new Error('body has no <response> element');
  const control = (response.control ?? {}) as Record<string, unknown>;
  const operation = response.operation as Record<string, unknown> | undefined;
  const auth = operation?.authentication as Record<string, unknown> | undefined;
  return {
    control: {
      status: textOf(control.status) ?? 'failure',
      senderId: textOf(control.senderid),
      controlId: textOf(control.controlid),
      uniqueId: textOf(control.uniqueid),
      dtdVersion: textOf(control.dtdversion),
    },
    controlErrors: parseErrors(response.errormessage),
    authentication: auth
      ? {
          status: textOf(auth.status) ?? 'failure',
          userId: textOf(auth.userid),
          companyId: textOf(auth.companyid),
          locationId: textOf(auth.locationid),
          sessionTimestamp: textOf(auth.sessiontimestamp),
          sessionTimeout: textOf(auth.sessiontimeout),
          errors: parseErrors(operation?.errormessage),
        }
      : undefined,
    results: asArray(operation?.result as Record<string, unknown>[] | undefined).map(parseResult),
  };
}

function parseResult(node: Record<string, unknown>): ParsedResult {
  const data = node.data;
  return {
    status: textOf(node.status) ?? 'failure',
    function: textOf(node.function) ?? '',
    controlId: textOf(node.controlid) ?? '',
    key: textOf(node.key),
    data: data === undefined ? undefined : parseData(data),
    errors: parseErrors(node.errormessage),
  };
}

function parseData(node: unknown): ResultData {
  const attributes: Record<string, string> = {};
  const rows: ResultData['rows'] = [];
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k.startsWith('@_')) attributes[k.slice(2)] = String(v);
      else if (k !== '#text') {
        for (const row of asArray(v)) {
          rows.push({
            tag: k,
            value: row && typeof row === 'object' ? (row as Record<string, unknown>) : { '#text': row },
          });
        }
      }
    }
  }
  return { attributes, rows };
}

function parseErrors(node: unknown): IntacctErrorDetail[] {
  if (!node || typeof node !== 'object') return [];
  return asArray((node as Record<string, unknown>).error as Record<string, unknown>[] | undefined).map(
    (e) => {
      const detail: IntacctErrorDetail = { errorNo: '' };
      let supportId: string | undefined;
      for (const field of ['errorno', 'description', 'description2', 'correction'] as const) {
        const raw = textOf(e[field]);
        if (raw === undefined || raw === '') continue;
        const decoded = decodeSupportId(raw);
        supportId ??= decoded.supportId;
        if (field === 'errorno') detail.errorNo = decoded.text;
        else detail[field] = decoded.text;
      }
      if (supportId) detail.supportId = supportId;
      return detail;
    },
  );
}

/** Strips the `@_` attribute prefix from a row so callers get plain field maps. */
export function cleanRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    out[k.startsWith('@_') ? k.slice(2) : k] =
      v && typeof v === 'object' && !Array.isArray(v) ? cleanRow(v as Record<string, unknown>) : v;
  }
  return out;
}
