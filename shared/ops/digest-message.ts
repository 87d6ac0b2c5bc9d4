/**
 * The text of a failure digest: plain text that reads well in an e-mail, one block per failure
 * with its cause, class, code, both records' IDs, count and fix, oldest first.
 */
import type { FailureRecord } from '#shared/aws/ledger.ts';
import type { DigestMessage } from './digest-ports.ts';

/** SNS takes an ASCII subject of at most 100 characters, no line breaks. */
const SUBJECT_MAX = 100;

function subjectOf(flow: string, count: number): string {
  const subject = `sfi: ${count} new failure${count === 1 ? '' : 's'} in ${flow}`
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, SUBJECT_MAX);
  return subject;
}

function block(f: FailureRecord, n: number): string {
  const ids = f.ids;
  const lines = [
    `${n}. ${f.code} (${f.class}), ${f.count === 1 ? 'once' : `${f.count} times`}; first ${f.firstSeen}, last ${f.at}`,
    `   record: ${ids.recordId ?? f.id}; Salesforce: ${ids.salesforceId ?? '-'}; Intacct: ${ids.intacctKey ?? '-'}`,
    `   cause: ${f.message}`,
    `   fix: ${f.hint ?? 'see the cause; then run sfi redrive'}`,
  ];
  return lines.join('\n');
}

/**
 * Builds the digest of a flow's new failures: at most `maxListed` listed, the rest counted with a
 * pointer to `sfi failures`, which lists them all.
 */
export function formatDigest(options: {
  flow: string;
  failures: readonly FailureRecord[];
  maxListed: number;
  windowStart: string;
  digestMinutes: number;
}): DigestMessage {
  const { flow, failures, maxListed } = options;
  const listed = failures.slice(0, maxListed);
  const rest = failures.length - listed.length;
  const text = [
    `${failures.length} new open failure${failures.length === 1 ? '' : 's'} in flow ${flow} since its last digest (at most one digest per ${options.digestMinutes} minutes; this window began ${options.windowStart}).`,
    '',
    ...listed.map((f, i) => `${block(f, i + 1)}\n`),
    ...(rest > 0 ? [`...and ${rest} more: sfi failures --flow ${flow}`, ''] : []),
    `After the fix: sfi redrive sends the failed jobs again; a record that syncs resolves its failure. All open failures: sfi failures --flow ${flow}`,
  ].join('\n');
  return { subject: subjectOf(flow, failures.length), text, attributes: { flow, failures: failures.length } };
}
