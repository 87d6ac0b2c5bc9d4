/**
 * The `revenue` scenario (issue 14, on request): the monthly revenue reconciliation of `customers`
 * customers × `months` months. Customers are entered in Intacct and linked to Accounts by the
 * account flow (not measured); each gets one revenue GL line and one won opportunity per month.
 * Measured: the first run of the whole range (every row written), then a rerun (nothing changed:
 * nothing may be written). The figures that matter are per period: they must not grow with the
 * number of customers except by the 200-record collections the rows are written in.
 */
import type { SyncConfig } from '#shared/config/sync-config.ts';
import type { ReportConfig } from '#shared/sync/report-schema.ts';
import { type Costs, startMeter } from './measure.ts';
import { step } from './progress.ts';
import type { BenchStack } from './stack.ts';
import { waitIdle } from './workload.ts';

export const REVENUE_SCHEDULE = 'revenue-reconciliation';
const YEAR = 2025;

/** The config with the shipped report switched on (revenue account 4000) and its schedule. */
export function withRevenueReport(config: SyncConfig): SyncConfig {
  const report = config.reports.find((r) => r.name === REVENUE_SCHEDULE) as ReportConfig;
  return {
    ...config,
    reports: [{ ...report, enabled: true }],
    schedules: [...config.schedules, { name: REVENUE_SCHEDULE, cron: '0 6 2 * ? *', description: '' }],
  };
}

const month = (m: number) => `${YEAR}-${String(m).padStart(2, '0')}`;
/** Deterministic amounts in cents: booked, and recognised a little off it. */
const bookedCents = (c: number, m: number) => 10_000 + ((c * 7919 + m * 104_729) % 900_000);
const recognisedCents = (c: number, m: number) => bookedCents(c, m) - ((c + m) % 3) * 1_000;

export interface RevenueRun {
  label: 'first run' | 'rerun';
  wallMs: number;
  costs: Costs;
  perPeriod: { intacctRequests: number; salesforceCalls: number; dynamodbReads: number };
}

export interface RevenueBench {
  customers: number;
  months: number;
  rows: number;
  runs: RevenueRun[];
  checks: { rowsExpected: number; rowsFound: number; cellsWrong: number; rerunDml: number };
}

export async function revenue(stack: BenchStack, customers: number, months: number): Promise<RevenueBench> {
  stack.salesforce.setOutboundEndpoint(undefined);
  const ids = Array.from({ length: customers }, (_, i) => `RV-${String(i + 1).padStart(5, '0')}`);
  for (const id of ids)
    stack.intacct.userCreate('CUSTOMER', {
      CUSTOMERID: id,
      NAME: `Revenue ${id}`,
      DISPLAYCONTACT: { PRINTAS: id },
    });
  for (let i = 0; i < 100; i++) {
    const run = (await stack.runtime.runSchedule('intacct-delta')) as { status?: string };
    if (run.status !== 'partial') break;
  }
  await waitIdle(stack, { timeoutMs: 600_000 });
  const accountOf = new Map(
    stack.salesforce
      .records('Account')
      .filter((a) => String(a.Intacct_Customer_Id__c ?? '').startsWith('RV-'))
      .map((a) => [String(a.Intacct_Customer_Id__c), String(a.Id)]),
  );
  step(`revenue: ${accountOf.size} of ${customers} customers linked to accounts`);
  const gl = [];
  for (const [c, id] of ids.entries())
    for (let m = 1; m <= months; m++) {
      gl.push({
        accountNo: '4000',
        amount: -recognisedCents(c, m) / 100,
        entryDate: `${month(m)}-15`,
        customerId: id,
      });
      stack.salesforce.asUser.create('Opportunity', {
        Name: `${id} ${month(m)}`,
        AccountId: accountOf.get(id),
        StageName: 'Closed Won',
        CloseDate: `${month(m)}-20`,
        Amount: bookedCents(c, m) / 100,
      });
    }
  stack.intacct.seedGlEntries(gl);
  step(`revenue: ${gl.length} GL lines and ${gl.length} won opportunities seeded`);

  const period = `${month(1)}..${month(months)}`;
  const runs: RevenueRun[] = [];
  for (const label of ['first run', 'rerun'] as const) {
    const meter = await startMeter(stack);
    const t0 = performance.now();
    const run = (await stack.runtime.invokeScheduler({ schedule: REVENUE_SCHEDULE, period })) as {
      status: string;
    };
    const wallMs = Math.round(performance.now() - t0);
    const costs = await meter.read();
    if (run.status !== 'ok') throw new Error(`revenue ${label} ended ${run.status}`);
    runs.push({
      label,
      wallMs,
      costs,
      perPeriod: {
        intacctRequests: costs.intacct.requests / months,
        salesforceCalls: costs.salesforce.calls / months,
        dynamodbReads: costs.dynamodb.reads / months,
      },
    });
    step(
      `revenue ${label}: ${(wallMs / 1000).toFixed(1)} s, Intacct ${costs.intacct.requests} requests, Salesforce ${costs.salesforce.calls} calls (${costs.salesforce.dml} DML), DynamoDB ${costs.dynamodb.reads} reads`,
    );
  }

  const rows = stack.salesforce.records('Revenue_Reconciliation__c');
  const byKey = new Map(rows.map((r) => [String(r.Reconciliation_Key__c), r]));
  let cellsWrong = 0;
  for (const [c, id] of ids.entries())
    for (let m = 1; m <= months; m++) {
      const row = byKey.get(`${month(m)}:${id}`);
      if (
        row === undefined ||
        Math.round(Number(row.Booked__c) * 100) !== bookedCents(c, m) ||
        Math.round(Number(row.Recognised__c) * 100) !== recognisedCents(c, m)
      )
        cellsWrong++;
    }
  return {
    customers,
    months,
    rows: rows.length,
    runs,
    checks: {
      rowsExpected: customers * months + months,
      rowsFound: rows.length,
      cellsWrong,
      rerunDml: runs[1]?.costs.salesforce.dml ?? -1,
    },
  };
}
