/** One `<error>` the simulator returns. */
export interface SimErrorDetail {
  errorno: string;
  description?: string;
  description2?: string;
  correction?: string;
}

/** Thrown inside a function handler; becomes that function's `failure` result. */
export class SimFunctionError extends Error {
  readonly errors: SimErrorDetail[];
  constructor(errors: SimErrorDetail[]) {
    super(errors.map((e) => e.description2 ?? e.errorno).join('; '));
    this.errors = errors;
  }
}

/** Thrown while validating the envelope; becomes a control-level `XL03000003` failure. */
export class SimSchemaError extends Error {}

/** Intacct's usual pairing: a specific error plus the `BL01001973` catch-all. */
export function businessError(
  description2: string,
  correction?: string,
  errorno = 'BL01001973',
): SimFunctionError {
  return new SimFunctionError([{ errorno, description: '', description2, correction }]);
}

/** `BL34000061` "Another X with the given value(s) Y already exists" + the catch-all. */
export function duplicateError(label: string, id: string): SimFunctionError {
  return new SimFunctionError([
    {
      errorno: 'BL34000061',
      description: '',
      description2: `Another ${label} with the given value(s) ${id} already exists`,
      correction: 'Use a unique value instead.',
    },
    {
      errorno: 'BL01001973',
      description: '',
      description2: `Could not create ${label} record!`,
      correction: '',
    },
  ]);
}

/** A multi-record write that committed some records: status failure, `<data>` lists what was written. */
export class SimPartialFailure extends SimFunctionError {
  readonly data: Record<string, unknown>;
  readonly transactions: number;
  constructor(errors: SimErrorDetail[], data: Record<string, unknown>, transactions: number) {
    super(errors);
    this.data = data;
    this.transactions = transactions;
  }
}
