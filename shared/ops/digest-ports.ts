/** The failure digest's ports (DESIGN §9): where it remembers what went out, and where it sends. */
import type { FailureRecord } from '#shared/aws/ledger.ts';

/** One digest that went out: what the flow's last digest was. */
export interface SentDigest {
  flow: string;
  /** Start of the window it was sent in (ISO). */
  windowStart: string;
  sentAt: string;
  messageId: string;
  failures: number;
}

/**
 * The digest's memory. A failure is notified once per opening: its key is record, code and first
 * seen, so a record that fails again after it was resolved is news again.
 */
export interface DigestStore {
  /** The keys of the flow's failures that some digest already claimed. */
  notified(flow: string): Promise<Set<string>>;
  /** Claims the flow's window for one digest; false when another run holds it. */
  claimWindow(flow: string, windowStart: string, owner: string): Promise<boolean>;
  /** Marks these failures notified; answers the keys this call marked (not marked by another run). */
  markNotified(flow: string, keys: readonly string[], windowStart: string): Promise<string[]>;
  /** Undoes a claim and its marks (the publish failed): the next run sends them. */
  release(flow: string, windowStart: string, owner: string, keys: readonly string[]): Promise<void>;
  recordSent(digest: SentDigest): Promise<void>;
  lastDigest(flow: string): Promise<SentDigest | undefined>;
}

export interface DigestMessage {
  subject: string;
  text: string;
  attributes: { flow: string; failures: number };
}

export interface DigestPublisher {
  publish(message: DigestMessage): Promise<{ messageId: string }>;
}

/** The open failures of a flow (the ledger answers). */
export interface OpenFailures {
  openFailures(flow: string): Promise<FailureRecord[]>;
}

/** The key a failure is notified under: one opening of one record's failure with one code. */
export const failureKey = (f: FailureRecord) => `${f.ids.recordId ?? f.id}#${f.code}#${f.firstSeen}`;
