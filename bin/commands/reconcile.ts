/**
 * `sfi reconcile <flow> [--fix] [--json]`: runs the reconciliation of one flow now (through the
 * scheduler, as the nightly run does) and prints its report: a summary by default, the whole
 * report with `--json`. Exit code 1 when it found drift (and did not repair it), so scripts notice.
 */
import { reconcileNow } from '#shared/ops/on-demand.ts';
import type { TargetFlags } from '#shared/ops/target.ts';
import { withTarget } from './with-target.ts';

export async function runReconcile(
  flags: TargetFlags,
  options: { flow: string; fix: boolean; json: boolean },
): Promise<number> {
  process.stderr.write(`sfi reconcile: reading ${options.flow} in full on both sides…\n`);
  const { report } = await withTarget(flags, (context, stores) =>
    reconcileNow(context, stores, options.flow, options.fix),
  );
  if (report === undefined) {
    process.stderr.write(
      `sfi: the reconciliation of ${options.flow} left no report; see the scheduler's logs\n`,
    );
    return 1;
  }
  const r = report;
  if (options.json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else {
    const c = r.counts;
    const lines = [
      `${r.flow}: ${c.salesforce} in Salesforce, ${c.intacct} in Intacct, ${c.links} linked`,
      `  linked and equal      ${c.linkedEqual}`,
      `  linked and drifted    ${c.drifted}${r.drifted
        .slice(0, 5)
        .map(
          (d) =>
            `\n    ${d.salesforceId} ⇄ ${d.intacctKey}: ${d.fields.map((f) => `${f.intacct} (${f.owner}) SF=${JSON.stringify(f.salesforceValue)} IA=${JSON.stringify(f.intacctValue)}`).join('; ')}`,
        )
        .join('')}`,
      `  only in Salesforce    ${c.onlyInSalesforce}${r.onlyInSalesforce.length ? ` (${r.onlyInSalesforce.slice(0, 5).join(', ')})` : ''}`,
      `  only in Intacct       ${c.onlyInIntacct}${r.onlyInIntacct.length ? ` (${r.onlyInIntacct.slice(0, 5).join(', ')})` : ''}`,
      `  gone in Salesforce    ${c.goneInSalesforce}`,
      `  gone in Intacct       ${c.goneInIntacct}`,
      `  duplicates            ${c.duplicates}${r.duplicates
        .slice(0, 5)
        .map((d) => `\n    ${d.side} ${d.field} = "${d.value}": ${d.ids.join(', ')}`)
        .join('')}`,
      `  API cost              ${r.cost.salesforceCalls} Salesforce calls, ${r.cost.intacctRequests} Intacct requests`,
      r.fix === undefined
        ? '  run with --fix to repair (duplicates need a person)'
        : `  repair jobs enqueued  ${r.fix.enqueued} (Salesforce side ${r.fix.bySide.salesforce}, Intacct side ${r.fix.bySide.intacct})`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  const drift =
    r.counts.drifted +
    r.counts.onlyInSalesforce +
    r.counts.onlyInIntacct +
    r.counts.goneInSalesforce +
    r.counts.goneInIntacct +
    r.counts.duplicates;
  return drift === 0 || r.fix !== undefined ? 0 : 1;
}
