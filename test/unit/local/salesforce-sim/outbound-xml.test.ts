import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { isAck } from '#local/salesforce-sim/outbound/ack.ts';
import { buildNotificationsEnvelope } from '#local/salesforce-sim/outbound/envelope.ts';

const header = {
  orgId: '00D000000000001AAA',
  actionId: '04kRx0000000S4dIAE',
  sessionId: undefined,
  enterpriseUrl: 'http://x/services/Soap/c/62.0/00D000000000001',
  partnerUrl: 'http://x/services/Soap/u/62.0/00D000000000001',
};

describe('outbound-message XML', () => {
  test('the envelope escapes every value and parses back to the same fields', () => {
    const xml = buildNotificationsEnvelope(header, [
      {
        id: '04lRx0000000S4dIAE',
        object: 'Account',
        fields: [
          ['Id', '001Rx0000000S4dIAE'],
          ['Name', `<a href="x">&'</a>\u0001`],
        ],
      },
    ]);
    const doc = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false }).parse(xml);
    const n = doc.Envelope.Body.notifications.Notification;
    expect(n.sObject.Name).toBe(`<a href="x">&'</a>`);
    expect(n.sObject['@_type']).toBe('sf:Account');
    expect(doc.Envelope.Body.notifications.SessionId['@_nil']).toBe('true');
  });

  test('an Ack is HTTP 200 with notificationsResponse/Ack true under any prefix', () => {
    const env = (inner: string) =>
      `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${inner}</s:Body></s:Envelope>`;
    expect(
      isAck(
        200,
        env(
          '<notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>',
        ),
      ),
    ).toBe(true);
    expect(
      isAck(
        200,
        env(
          '<o:notificationsResponse xmlns:o="http://soap.sforce.com/2005/09/outbound"><o:Ack>true</o:Ack></o:notificationsResponse>',
        ),
      ),
    ).toBe(true);
    expect(isAck(200, env('<notificationsResponse><Ack>false</Ack></notificationsResponse>'))).toBe(false);
    expect(isAck(500, env('<notificationsResponse><Ack>true</Ack></notificationsResponse>'))).toBe(false);
    expect(isAck(200, '{"Ack":true}')).toBe(false);
  });
});
