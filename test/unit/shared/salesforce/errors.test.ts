import { describe, expect, test } from 'vitest';
import { SalesforceApiError, toSalesforceError } from '#shared/salesforce/errors.ts';

const jsforceError = (errorCode: string, message: string, data: unknown = {}) =>
  Object.assign(new Error(message), { name: errorCode, errorCode, data });

describe('Salesforce error mapping', () => {
  test('splits REQUEST_LIMIT_EXCEEDED into daily (permanent) and concurrent (transient)', () => {
    expect(
      toSalesforceError(jsforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.')),
    ).toMatchObject({
      code: 'REQUEST_LIMIT_EXCEEDED_DAILY',
      retryable: false,
    });
    expect(
      toSalesforceError(jsforceError('REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.')),
    ).toMatchObject({
      code: 'REQUEST_LIMIT_EXCEEDED_CONCURRENT',
      retryable: true,
    });
  });

  test('transient codes retry; validation and query errors do not', () => {
    for (const code of [
      'UNABLE_TO_LOCK_ROW',
      'SERVER_UNAVAILABLE',
      'INVALID_SESSION_ID',
      'ERROR_HTTP_503',
      'ERROR_HTTP_429',
    ]) {
      expect(toSalesforceError(jsforceError(code, 'x')).retryable).toBe(true);
    }
    for (const code of [
      'INVALID_FIELD',
      'MALFORMED_QUERY',
      'DUPLICATE_VALUE',
      'REQUIRED_FIELD_MISSING',
      'ERROR_HTTP_404',
    ]) {
      expect(toSalesforceError(jsforceError(code, 'x')).retryable).toBe(false);
    }
  });

  test('keeps the fields of a REST error and adds a fix hint', () => {
    const err = toSalesforceError(
      jsforceError('REQUIRED_FIELD_MISSING', 'Required fields are missing: [Name]', { fields: ['Name'] }),
    );
    expect(err).toBeInstanceOf(SalesforceApiError);
    expect((err as SalesforceApiError).fields).toEqual(['Name']);
    expect(err.hint).toBeTruthy();
  });

  test('network failures are retryable', () => {
    const err = toSalesforceError(
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }),
    );
    expect(err).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  });
});
