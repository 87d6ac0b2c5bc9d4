import type { OpContext } from './context.ts';
import { businessError } from './errors.ts';
import type { SimRecord } from './store.ts';

/**
 * Deletes Intacct refuses in payables: a vendor with bills or purchasing documents (make it
 * inactive instead), a bill with payments applied [wording unverified].
 */
export function assertPayablesDeletable(ctx: OpContext, record: SimRecord): void {
  if (record.object === 'VENDOR') {
    const id = record.fields.VENDORID;
    const used =
      ctx.store.all('APBILL').some((b) => b.fields.VENDORID === id) ||
      ctx.store.all('PODOCUMENT').some((d) => d.fields.CUSTVENDID === id);
    if (used)
      throw businessError(
        `Vendor ${String(id)} has transactions and cannot be deleted.`,
        'Make the vendor inactive instead.',
      );
  }
  if (record.object === 'APBILL' && Number(record.fields.TRX_TOTALPAID ?? 0) > 0)
    throw businessError(
      `Bill ${record.recordNo} has payments applied and cannot be deleted.`,
      'Reverse the payments first.',
    );
}
