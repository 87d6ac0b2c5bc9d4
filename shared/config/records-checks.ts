/**
 * Cross-flow checks of a projection with a `records` target: the flows its lookups resolve
 * through exist (and are not itself), related reads are named before use, a key or field naming a
 * related read names one that exists, a roll-up's lookup is one of the target's lookups, a
 * summary's fields are read, a constant writes a field nothing else of the target writes, and a
 * mirror of the same Salesforce object keeps off the target's records.
 */
import type { FlowConfig, ProjectionFlow } from '#shared/sync/flow-schema.ts';
import type { Problem } from './document-checks.ts';

export function recordsProblems(flow: ProjectionFlow, flows: readonly FlowConfig[]): Problem[] {
  const t = flow.target;
  if (t.type !== 'records') return [];
  const problems: Problem[] = [];
  if (flow.via !== undefined)
    problems.push({
      path: ['via'],
      message: 'a records target makes its own records; drop "via" and name the flows in "lookups"',
    });
  for (const [j, lookup] of t.lookups.entries()) {
    const other = flows.find((f) => f.name === lookup.via);
    if (lookup.via === flow.name)
      problems.push({
        path: ['target', 'lookups', j, 'via'],
        message: 'a lookup cannot go through its own flow',
      });
    else if (other === undefined)
      problems.push({
        path: ['target', 'lookups', j, 'via'],
        message: `flow "${lookup.via}" is not configured or is switched off; use one of: ${flows
          .filter((f) => f.name !== flow.name)
          .map((f) => f.name)
          .join(', ')}`,
      });
  }
  const known = new Set<string>();
  const checkName = (name: string, path: Array<string | number>) => {
    const dot = name.indexOf('.');
    const prefix = dot > 0 ? name.slice(0, dot) : undefined;
    if (prefix !== undefined && t.related.some((r) => r.name === prefix) && !known.has(prefix))
      problems.push({ path, message: `"${prefix}" is read after it is used; list it earlier in "related"` });
  };
  for (const [j, read] of t.related.entries()) {
    checkName(read.on, ['target', 'related', j, 'on']);
    if (known.has(read.name))
      problems.push({ path: ['target', 'related', j, 'name'], message: `"${read.name}" is used twice` });
    known.add(read.name);
  }
  const lookups = new Set(t.lookups.map((l) => l.salesforce));
  for (const [j, rollup] of t.rollups.entries()) {
    if (!lookups.has(rollup.lookup))
      problems.push({
        path: ['target', 'rollups', j, 'lookup'],
        message: `"${rollup.lookup}" is not one of the target's lookups (${[...lookups].join(', ') || 'none'}); roll up through a lookup the flow fills`,
      });
    for (const [k, f] of rollup.fields.entries())
      if (f.aggregate !== 'count' && f.of === undefined)
        problems.push({
          path: ['target', 'rollups', j, 'fields', k, 'of'],
          message: `"${f.aggregate}" needs "of": the child field to aggregate`,
        });
  }
  for (const [j, summary] of t.summaries.entries()) {
    const read = t.related.find((r) => r.name === summary.of);
    if (read === undefined)
      problems.push({
        path: ['target', 'summaries', j, 'of'],
        message: `"${summary.of}" is not a related read of this target (${t.related.map((r) => r.name).join(', ') || 'none'}); add it to "related"`,
      });
    else
      for (const [k, field] of summary.fields.entries())
        if (!read.fields.includes(field) && field !== read.match)
          problems.push({
            path: ['target', 'summaries', j, 'fields', k],
            message: `${field} is not read by "${read.name}"; add it to that read's "fields"`,
          });
  }
  const others = new Set([
    t.externalId,
    'Name',
    ...t.fields.map((f) => f.salesforce),
    ...t.lookups.map((l) => l.salesforce),
    ...t.summaries.map((m) => m.salesforce),
  ]);
  for (const [j, c] of t.constants.entries())
    if (others.has(c.salesforce))
      problems.push({
        path: ['target', 'constants', j, 'salesforce'],
        message: `${c.salesforce} is also written from Intacct by this target; write it one way only`,
      });
  // The mirror's Salesforce delta poll would read the projected records (vendor Accounts) as its
  // own and create them in Intacct (as customers): its filter has to leave them out.
  for (const mirror of flows)
    if (
      mirror.kind === 'mirror' &&
      mirror.salesforceObject === flow.salesforceObject &&
      !(mirror.salesforceFilter ?? '').includes(t.externalId)
    )
      problems.push({
        path: ['target', 'externalId'],
        message: `flow "${mirror.name}" syncs ${flow.salesforceObject} too and would take these records for its own; give it "salesforceFilter": "${t.externalId} = null"`,
      });
  return problems;
}
