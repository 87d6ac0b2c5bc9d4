/**
 * A Salesforce API failure as the simulator reports it. Top-level REST errors serialise to
 * `[{ message, errorCode, fields }]`; inside collections the same error uses `statusCode`.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly errorCode: string;
  readonly fields: string[];

  constructor(status: number, errorCode: string, message: string, fields: string[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.fields = fields;
  }

  /** The element of a top-level REST error array. */
  toRest(): { message: string; errorCode: string; fields?: string[] } {
    return this.fields.length > 0
      ? { message: this.message, errorCode: this.errorCode, fields: this.fields }
      : { message: this.message, errorCode: this.errorCode };
  }

  /** The element of a collection result's `errors`. */
  toSaveError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields };
  }
}
