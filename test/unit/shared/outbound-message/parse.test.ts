import { describe, expect, it } from 'vitest';
import { ValidationError } from '#shared/errors.ts';
import { MAX_OUTBOUND_MESSAGE_BYTES, parseOutboundMessage } from '#shared/outbound-message/parse.ts';
import { fakeId, ORG_ID, outboundMessage } from '../../../fixtures/outbound-message.ts';

function codeOf(body: string): string | undefined {
  try {
    parseOutboundMessage(body);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).code;
  }
}

describe('parseOutboundMessage', () => {
  it('reads org, notification IDs, object type from xsi:type and fields as strings', () => {
    const message = parseOutboundMessage(
      outboundMessage({
        notifications: [
          {
            id: fakeId('04l', 1),
            fields: {
              Id: fakeId('001', 1),
              Name: 'Acme & Co <EU>',
              AccountNumber: '0012',
              AnnualRevenue: '50000.0',
            },
          },
        ],
      }),
    );
    expect(message.organizationId).toBe(ORG_ID);
    expect(message.notifications).toEqual([
      {
        notificationId: fakeId('04l', 1),
        objectType: 'Account',
        recordId: fakeId('001', 1),
        fields: {
          Id: fakeId('001', 1),
          Name: 'Acme & Co <EU>',
          AccountNumber: '0012',
          AnnualRevenue: '50000.0',
        },
      },
    ]);
  });

  it('accepts any namespace prefixes, as other SOAP stacks write them', () => {
    const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><s:Body><o:notifications xmlns:o="http://soap.sforce.com/2005/09/outbound"><o:OrganizationId>${ORG_ID}</o:OrganizationId><o:ActionId>04k000000000001AAA</o:ActionId><o:Notification><o:Id>${fakeId('04l', 2)}</o:Id><o:sObject i:type="x:Contact" xmlns:x="urn:sobject.enterprise.soap.sforce.com"><x:Id>${fakeId('003', 2)}</x:Id><x:LastName>Smith</x:LastName></o:sObject></o:Notification></o:notifications></s:Body></s:Envelope>`;
    const message = parseOutboundMessage(body);
    expect(message.notifications[0]).toMatchObject({
      objectType: 'Contact',
      recordId: fakeId('003', 2),
      fields: { LastName: 'Smith' },
    });
  });

  it('treats an omitted field as absent (null), never as an empty string', () => {
    const message = parseOutboundMessage(
      outboundMessage({
        notifications: [{ id: fakeId('04l', 3), fields: { Id: fakeId('001', 3), Phone: undefined } }],
      }),
    );
    expect(message.notifications[0]?.fields).not.toHaveProperty('Phone');
  });

  it('decodes character references in values', () => {
    const body = outboundMessage({
      notifications: [{ id: fakeId('04l', 5), fields: { Id: fakeId('001', 5), Name: 'x' } }],
    }).replace('<sf:Name>x</sf:Name>', '<sf:Name>M&#252;ller &#x26; S&#246;hne &quot;GmbH&quot;</sf:Name>');
    expect(parseOutboundMessage(body).notifications[0]?.fields.Name).toBe('Müller & Söhne "GmbH"');
  });

  it('keeps injection-looking values verbatim as data', () => {
    const name = `Robert'); DELETE FROM Account; -- ]]> <![CDATA[x]]>`;
    const message = parseOutboundMessage(
      outboundMessage({
        notifications: [{ id: fakeId('04l', 4), fields: { Id: fakeId('001', 4), Name: name } }],
      }),
    );
    expect(message.notifications[0]?.fields.Name).toBe(name);
  });

  it.each([
    ['malformed XML', '<a><b></a>', 'OM_MALFORMED'],
    [
      'an entity declaration',
      '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      'OM_DOCTYPE',
    ],
    ['a body that is not SOAP', '<hello/>', 'OM_NOT_A_NOTIFICATION'],
    ['an empty body', '  ', 'OM_EMPTY'],
    ['an oversize body', `<x>${'a'.repeat(MAX_OUTBOUND_MESSAGE_BYTES)}</x>`, 'OM_TOO_LARGE'],
  ])('rejects %s with code %s', (_what, body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it('rejects more than 100 notifications and mixed object types', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({
      id: fakeId('04l', i),
      fields: { Id: fakeId('001', i) },
    }));
    expect(codeOf(outboundMessage({ notifications: many }))).toBe('OM_NOT_A_NOTIFICATION');
    const mixed = outboundMessage({
      notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('001', 1) } }],
    }).replace(
      '</Notification>',
      `</Notification><Notification><Id>${fakeId('04l', 2)}</Id><sObject xsi:type="sf:Contact" xmlns:sf="urn:sobject.enterprise.soap.sforce.com"><sf:Id>${fakeId('003', 2)}</sf:Id></sObject></Notification>`,
    );
    expect(codeOf(mixed)).toBe('OM_MIXED_TYPES');
  });

  it('rejects a notification without xsi:type or without a record Id', () => {
    const base = outboundMessage({
      notifications: [{ id: fakeId('04l', 1), fields: { Id: fakeId('001', 1) } }],
    });
    expect(codeOf(base.replace('xsi:type="sf:Account" ', ''))).toBe('OM_NO_TYPE');
    expect(codeOf(base.replace(`<sf:Id>${fakeId('001', 1)}</sf:Id>`, ''))).toBe('OM_NO_RECORD_ID');
  });
});
