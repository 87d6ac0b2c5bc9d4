/**
 * Cross-section checks of the config's reports: each pairs keys through an enabled mirror flow,
 * runs on a defined schedule, and has a name no flow or other report has (the failure log and
 * the stats are kept under it).
 */
import type { FlowConfig } from '#shared/sync/flow-schema.ts';
import type { ReportConfig } from '#shared/sync/report-schema.ts';

interface Sections {
  flows: readonly FlowConfig[];
  reports: readonly ReportConfig[];
  schedules: ReadonlyArray<{ name: string }>;
}

export function reportProblems(config: Sections): Array<{ path: Array<string | number>; message: string }> {
  const out: Array<{ path: Array<string | number>; message: string }> = [];
  const mirrors = config.flows.filter((f) => f.kind === 'mirror' && f.enabled).map((f) => f.name);
  const flowNames = new Set(config.flows.map((f) => f.name));
  for (const [i, report] of config.reports.entries()) {
    const at = (path: Array<string | number>, message: string) =>
      out.push({ path: ['reports', i, ...path], message });
    if (flowNames.has(report.name) || config.reports.findIndex((r) => r.name === report.name) !== i)
      at(
        ['name'],
        `"${report.name}" is already the name of a flow or report; give the report a name of its own`,
      );
    if (!report.enabled) continue;
    if (!mirrors.includes(report.via))
      at(
        ['via'],
        `"${report.via}" is not an enabled mirror flow; the report pairs customers and accounts through one of: ${mirrors.join(', ')}`,
      );
    if (!config.schedules.some((s) => s.name === report.schedule))
      at(
        ['schedule'],
        `schedule "${report.schedule}" is not defined; add it to "schedules" (monthly after period end, e.g. "cron": "0 6 2 * ? *")`,
      );
  }
  return out;
}
