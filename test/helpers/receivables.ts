/** Helpers of the receivables tests: what Salesforce shows, and what a user does in Intacct's AR. */
import type { LocalStack } from '#local/local-stack.ts';
import { idle } from './documents.ts';

type Row = Record<string, unknown>;

/** Today in Intacct's MM/DD/YYYY (the simulator's company runs on UTC here). */
export const intacctToday = (offsetDays = 0): string => {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()}`;
};

export const recordsOf = (stack: LocalStack, object: string, where: (r: Row) => boolean = () => true) =>
  stack.salesforce.records(object).filter(where);

export const one = (stack: LocalStack, object: string, id: string): Row => {
  const r = stack.salesforce.records(object).find((x) => x.Id === id);
  if (r === undefined) throw new Error(`no ${object} ${id}`);
  return r;
};

/** A payment entered in Intacct: cash applied to invoices, and/or credit memos applied to them. */
export function pay(
  stack: LocalStack,
  customerId: string,
  lines: Array<{ invoice: string; amount?: number; credit?: { memo: string; amount: number } }>,
  /** The entity the invoices belong to (a multi-entity company pays them there). */
  entityId?: string,
): Row {
  return stack.intacct.userCreate(
    'ARPYMT',
    {
      PAYMENTMETHOD: 'EFT',
      RECEIPTDATE: intacctToday(),
      CUSTOMERID: customerId,
      UNDEPOSITEDACCOUNTNO: '1000',
      CURRENCY: 'USD',
      ARPYMTDETAILS: {
        ARPYMTDETAIL: lines.map((l) => ({
          RECORDKEY: l.invoice,
          ...(l.amount === undefined ? {} : { TRX_PAYMENTAMOUNT: String(l.amount) }),
          ...(l.credit === undefined
            ? {}
            : { ADJUSTMENTKEY: l.credit.memo, TRX_ADJUSTMENTAMOUNT: String(l.credit.amount) }),
        })),
      },
    },
    entityId === undefined ? undefined : { entityId },
  );
}

/** Puts `n` replays of one Intacct record on the queue at once (duplicate deliveries). */
export async function replayIntacct(stack: LocalStack, flow: string, id: string, n = 1): Promise<void> {
  await Promise.all(
    Array.from({ length: n }, async () => {
      const response = await fetch(
        `${stack.runtime.controlUrl}/replay?flow=${flow}&source=intacct&id=${encodeURIComponent(id)}`,
        { method: 'POST' },
      );
      if (!response.ok) throw new Error(`replay failed: ${await response.text()}`);
    }),
  );
  await idle(stack);
}
