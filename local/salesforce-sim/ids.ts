/** Alphabet Salesforce uses to encode the 3-character case-safety suffix of an 18-character ID. */
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Key prefixes of the objects the simulator knows, plus the non-record IDs it mints. */
export const KEY_PREFIXES: Readonly<Record<string, string>> = {
  Account: '001',
  Contact: '003',
  Opportunity: '006',
  OpportunityLineItem: '00k',
  Order: '801',
  OrderItem: '802',
  Product2: '01t',
  Pricebook2: '01s',
  PricebookEntry: '01u',
  Task: '00T',
  User: '005',
  Organization: '00D',
  OutboundMessageAction: '04k',
  OutboundNotification: '04l',
  QueryLocator: '0r8',
};

/** Appends the checksum suffix that turns a case-sensitive 15-character ID into an 18-character one. */
export function toId18(id15: string): string {
  if (id15.length !== 15) throw new Error(`expected a 15-character ID, got ${id15.length} characters`);
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charAt(chunk * 5 + i);
      if (ch >= 'A' && ch <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_CHARS.charAt(bits);
  }
  return id15 + suffix;
}

/** True for a 15-character ID or an 18-character ID whose suffix matches its first 15 characters. */
export function isValidId(id: string): boolean {
  if (!/^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$/.test(id)) return false;
  return id.length === 15 || toId18(id.slice(0, 15)) === id;
}

/** Normalises a 15- or 18-character ID to its canonical 18-character form (undefined when malformed). */
export function canonicalId(id: string): string | undefined {
  if (!isValidId(id)) return undefined;
  return id.length === 15 ? toId18(id) : id;
}

/**
 * Mints IDs with a given key prefix. A mixed-case counter is used so that the checksum suffix
 * varies like real IDs do (an all-digit body would always end in `AAA`).
 */
export class IdFactory {
  #counters = new Map<string, number>();
  readonly #pod: string;

  constructor(pod = 'Rx') {
    this.#pod = pod;
  }

  next(prefix: string): string {
    const n = (this.#counters.get(prefix) ?? 0) + 1;
    this.#counters.set(prefix, n);
    let body = '';
    let rest = n * 7919 + 100_000;
    while (rest > 0) {
      body = BASE62.charAt(rest % 62) + body;
      rest = Math.floor(rest / 62);
    }
    return toId18(prefix + this.#pod + body.padStart(10, '0'));
  }
}
