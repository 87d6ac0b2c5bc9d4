/**
 * Parses a Salesforce outbound message (SOAP 1.1, reference salesforce-api.md §1.2). Namespace
 * prefixes are ignored (any prefix, or none, is accepted); DOCTYPE and entity declarations are
 * refused before parsing, so entity expansion cannot happen; values stay strings; a field absent from an sObject
 * means null (Salesforce omits null fields).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ValidationError } from '#shared/errors.ts';

/** Bodies above this are refused: 100 notifications with many long fields stay far below it. */
export const MAX_OUTBOUND_MESSAGE_BYTES = 2 * 1024 * 1024;
export const MAX_NOTIFICATIONS = 100;

export interface OutboundNotification {
  notificationId: string;
  objectType: string;
  recordId: string;
  /** Field values by API name, as strings; `Id` included. */
  fields: Record<string, string>;
}

export interface OutboundMessage {
  organizationId: string;
  actionId: string;
  notifications: OutboundNotification[];
}

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  // Safe: bodies with DOCTYPE/ENTITY are refused before parsing, so only the five predefined
  // entities and character references remain to decode (the parser's htmlEntities switch is the
  // one that decodes numeric references such as &#252;).
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  trimValues: true,
  isArray: (_name, jpath) => String(jpath).endsWith('notifications.Notification'),
});

/** 15- or 18-character Salesforce IDs. Checked by hand: this module is in the webhook bundle, which stays small. */
const SF_ID = /^[0-9A-Za-z]{15}([0-9A-Za-z]{3})?$/;

type XmlNode = Record<string, unknown>;
const isNode = (v: unknown): v is XmlNode => typeof v === 'object' && v !== null && !Array.isArray(v);

function reject(message: string, code: string): never {
  throw new ValidationError(message, {
    code,
    hint: 'send a Salesforce outbound message (SOAP 1.1) as the body',
  });
}

/** Parses and checks one outbound message body; throws ValidationError (code OM_*) on anything else. */
export function parseOutboundMessage(body: string): OutboundMessage {
  if (Buffer.byteLength(body, 'utf8') > MAX_OUTBOUND_MESSAGE_BYTES) {
    reject(`body exceeds ${MAX_OUTBOUND_MESSAGE_BYTES} bytes`, 'OM_TOO_LARGE');
  }
  if (body.trim() === '') reject('empty body', 'OM_EMPTY');
  if (/<!DOCTYPE|<!ENTITY/i.test(body))
    reject('DOCTYPE and entity declarations are not allowed', 'OM_DOCTYPE');
  const valid = XMLValidator.validate(body);
  if (valid !== true) reject(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`, 'OM_MALFORMED');
  const doc: unknown = parser.parse(body);
  const envelope = isNode(doc) ? doc.Envelope : undefined;
  const soapBody = isNode(envelope) ? envelope.Body : undefined;
  const root = isNode(soapBody) ? soapBody.notifications : undefined;
  if (!isNode(root))
    reject('not an outbound message: no Envelope/Body/notifications element', 'OM_NOT_A_NOTIFICATION');
  if (typeof root.OrganizationId !== 'string' || !SF_ID.test(root.OrganizationId)) {
    reject(
      'not an outbound message: OrganizationId is missing or not a Salesforce ID',
      'OM_NOT_A_NOTIFICATION',
    );
  }
  const list = Array.isArray(root.Notification) ? root.Notification : [];
  if (list.length === 0) reject('not an outbound message: no Notification elements', 'OM_NOT_A_NOTIFICATION');
  if (list.length > MAX_NOTIFICATIONS) {
    reject(`not an outbound message: more than ${MAX_NOTIFICATIONS} notifications`, 'OM_NOT_A_NOTIFICATION');
  }
  const parsed = list.map((n: unknown, i) => {
    if (!isNode(n) || typeof n.Id !== 'string' || !SF_ID.test(n.Id) || !isNode(n.sObject)) {
      reject(
        `not an outbound message: Notification ${i + 1} needs an Id and an sObject`,
        'OM_NOT_A_NOTIFICATION',
      );
    }
    return { Id: n.Id, sObject: n.sObject };
  });
  const actionId = typeof root.ActionId === 'string' ? root.ActionId : '';
  const notifications = parsed.map((n) => toNotification(n.Id, n.sObject));
  const types = new Set(notifications.map((n) => n.objectType));
  if (types.size > 1)
    reject(`one message carries several object types: ${[...types].join(', ')}`, 'OM_MIXED_TYPES');
  return { organizationId: root.OrganizationId, actionId, notifications };
}

function toNotification(notificationId: string, sObject: Record<string, unknown>): OutboundNotification {
  const type = sObject['@type'];
  if (typeof type !== 'string' || type.length === 0) {
    reject(`notification ${notificationId} has no xsi:type on its sObject`, 'OM_NO_TYPE');
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(sObject)) {
    if (key.startsWith('@')) continue;
    if (typeof value === 'string') fields[key] = value;
    else if (value !== null && typeof value === 'object' && '#text' in value)
      fields[key] = String(value['#text']);
    else if (
      value !== null &&
      typeof value === 'object' &&
      Object.keys(value).every((k) => k.startsWith('@'))
    ) {
    } else reject(`notification ${notificationId}: field ${key} is not a simple value`, 'OM_BAD_FIELD');
  }
  const recordId = fields.Id;
  if (recordId === undefined || !SF_ID.test(recordId)) {
    reject(`notification ${notificationId} has no valid sObject Id`, 'OM_NO_RECORD_ID');
  }
  // xsi:type is "sf:Account"; the prefix was declared by the sender and carries no meaning for us.
  const objectType = type.includes(':') ? type.slice(type.indexOf(':') + 1) : type;
  return { notificationId, objectType, recordId, fields };
}

/** The WSDL-correct acknowledgement Salesforce expects (HTTP 200, text/xml). */
export const ACK_XML =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body>' +
  '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>' +
  '</soapenv:Body></soapenv:Envelope>';
