import { describe, expect, it } from 'vitest';
import {
  classifyAuthFailure,
  classifyControlFailure,
  classifyFunctionFailure,
} from '#shared/intacct/classify.ts';
import {
  IntacctAbortedError,
  IntacctAuthenticationError,
  IntacctClosedPeriodError,
  IntacctDuplicateError,
  IntacctRateLimitError,
  IntacctRequestError,
  IntacctSessionError,
} from '#shared/intacct/errors.ts';
import { create, getAPISession, readByQuery } from '#shared/intacct/functions/generic.ts';
import { parseResponse } from '#shared/intacct/response.ts';
import * as fx from './fixtures.ts';

describe('parseResponse', () => {
  it('accepts a gateway error whose control block has only a status', () => {
    const r = parseResponse(fx.gatewayRateLimit);
    expect(r.control).toMatchObject({ status: 'failure', senderId: undefined, controlId: undefined });
    expect(r.controlErrors[0]?.errorNo).toBe('GW-0010');
  });

  it('keeps IDs as strings and a single row as a one-element list', () => {
    const r = parseResponse(
      fx.ok(fx.readByQueryPage('<customer><RECORDNO>0012</RECORDNO></customer>', 0, '')),
    );
    const page = readByQuery({ object: 'CUSTOMER' }).parse(r.results[0] as never);
    expect(page.rows).toEqual([{ RECORDNO: '0012' }]);
    expect(page).toMatchObject({ listType: 'customer', numRemaining: 0, resultId: '' });
  });

  it('reads a self-closing empty data element as zero rows', () => {
    const xml =
      fx.ok(`<result><status>success</status><function>readByQuery</function><controlid>q</controlid>
<data listtype="department" count="0" totalcount="0" numremaining="0" resultId=""/></result>`);
    const page = readByQuery({ object: 'DEPARTMENT' }).parse(parseResponse(xml).results[0] as never);
    expect(page).toMatchObject({ rows: [], count: 0, totalCount: 0 });
  });

  it('reads resultId containing @ and the paging counts', () => {
    const xml = fx.ok(
      fx.readByQueryPage(
        '<customer><CUSTOMERID>A</CUSTOMERID></customer>',
        2,
        '7765623638XlglD9MIY@LwAAABU4',
      ),
    );
    const page = readByQuery({ object: 'CUSTOMER' }).parse(parseResponse(xml).results[0] as never);
    expect(page).toMatchObject({ totalCount: 3, numRemaining: 2, resultId: '7765623638XlglD9MIY@LwAAABU4' });
  });

  it('reads the getAPISession block and the sliding session timeout', () => {
    const r = parseResponse(fx.apiSession('S1..', 'https://na12.intacct.com/ia/xml/xmlgw.phtml'));
    expect(getAPISession().parse(r.results[0] as never)).toEqual({
      sessionId: 'S1..',
      endpoint: 'https://na12.intacct.com/ia/xml/xmlgw.phtml',
      locationId: '',
    });
    expect(r.authentication?.sessionTimeout).toBe('2026-01-01T12:00:00+00:00');
  });

  it('decodes URL-encoded support IDs out of messages', () => {
    const [e] = parseResponse(fx.ok(fx.supportId)).results[0]?.errors ?? [];
    expect(e).toMatchObject({ description2: 'Could not create Customer record!', supportId: 'Abc~Xyz' });
  });

  it('refuses a body without a response element', () => {
    expect(() => parseResponse('<html><body>oops</body></html>')).toThrow(/response/);
  });
});

describe('error classification', () => {
  it('maps GW-0010 to a retryable rate-limit error', () => {
    const e = classifyControlFailure(parseResponse(fx.gatewayRateLimit).controlErrors, 200);
    expect(e).toBeInstanceOf(IntacctRateLimitError);
    expect(e.retryable).toBe(true);
  });

  it('maps a bad sender to a permanent authentication error', () => {
    const e = classifyControlFailure(parseResponse(fx.badSender).controlErrors, 200);
    expect(e).toBeInstanceOf(IntacctAuthenticationError);
    expect(e).toMatchObject({ retryable: false, code: 'XL03000006', level: 'control' });
  });

  it('maps HTTP 401 with XML to a permanent authentication error', () => {
    const e = classifyControlFailure(parseResponse(fx.unauthorized401).controlErrors, 401);
    expect(e).toBeInstanceOf(IntacctAuthenticationError);
    expect(e.code).toBe('XMLGW_JPP0002');
  });

  it('maps a schema error to a permanent request error', () => {
    const e = classifyControlFailure([{ errorNo: 'XL03000003', description: 'XML Parse schema error' }], 200);
    expect(e).toBeInstanceOf(IntacctRequestError);
    expect(e.retryable).toBe(false);
  });

  it('tells an invalid session apart from wrong credentials at the authentication level', () => {
    const auth = parseResponse(fx.invalidSession).authentication;
    expect(classifyAuthFailure(auth as never)).toBeInstanceOf(IntacctSessionError);
    const wrong = {
      status: 'failure',
      errors: [{ errorNo: 'XL03000006', description2: 'Sign-in information is incorrect' }],
    };
    const e = classifyAuthFailure(wrong);
    expect(e).toBeInstanceOf(IntacctAuthenticationError);
    expect(e.retryable).toBe(false);
  });

  it('reports a partial multi-record create as a duplicate error carrying the written rows', () => {
    const result = parseResponse(fx.ok(fx.partialCreate)).results[0];
    const fn = create({ object: 'PROJECT', fields: {} }, { controlId: 'w1' });
    const e = classifyFunctionFailure(result as never, fn.written?.(result as never));
    expect(e).toBeInstanceOf(IntacctDuplicateError);
    expect(e.code).toBe('BL34000061');
    expect((e as IntacctDuplicateError).written).toEqual([
      { object: 'PROJECT', RECORDNO: '1424', PROJECTID: 'Fellow PD2' },
    ]);
  });

  it('keeps a message that sits in errorno and uses a generic code', () => {
    const result = parseResponse(fx.ok(fx.textInErrorno)).results[0];
    const e = classifyFunctionFailure(result as never);
    expect(e.code).toBe('INTACCT_FUNCTION');
    expect(e.message).toContain('Invalid fields list x');
  });

  it('recognises aborted siblings and closed periods', () => {
    const aborted = classifyFunctionFailure({
      status: 'aborted',
      function: 'create',
      controlId: 'a',
      errors: [],
    });
    expect(aborted).toBeInstanceOf(IntacctAbortedError);
    expect(aborted.retryable).toBe(true);
    const closed = classifyFunctionFailure({
      status: 'failure',
      function: 'create_invoice',
      controlId: 'b',
      errors: [
        {
          errorNo: 'BL03000095',
          description2: 'the period for 01/05/2020 is closed. Date must be on or after 02/01/2020.',
        },
      ],
    });
    expect(closed).toBeInstanceOf(IntacctClosedPeriodError);
  });
});
