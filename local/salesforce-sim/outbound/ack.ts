import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: true,
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
});

/**
 * True when a listener's reply acknowledges the notifications: HTTP 200 and a SOAP body holding
 * `notificationsResponse/Ack` = true under any namespace prefix. Anything else is a nack.
 */
export function isAck(status: number, body: string): boolean {
  if (status !== 200 || !body.trimStart().startsWith('<')) return false;
  try {
    const doc = parser.parse(body) as Record<string, unknown>;
    const envelope = doc.Envelope as { Body?: { notificationsResponse?: { Ack?: unknown } } } | undefined;
    const ack = envelope?.Body?.notificationsResponse?.Ack;
    return typeof ack === 'string' && ack.trim().toLowerCase() === 'true';
  } catch {
    return false;
  }
}
