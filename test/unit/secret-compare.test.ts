/**
 * Every secret the code checks is compared in constant time (shared/http/safe-equal.ts): no
 * `===`/`!==` between a token, secret, password or signature and anything but undefined, a type
 * or a length. A scan of functions/ and shared/, so a new comparison cannot slip in unnoticed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SECRETISH = /(secret|token|password|signature|hmac|apikey)/i;
const HARMLESS = /^(undefined|null|''|""|true|false|\d+|typeof\b.*|.*\.length|'[a-z_]+'|"[a-z_]+")$/i;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const bare = (operand = '') => operand.replace(/^[(!]+/, '').replace(/[),;]+$/, '');

/** Comparisons `a === b` / `a !== b` on one line, each side an expression without spaces or with a call. */
function comparisons(text: string): Array<{ line: number; left: string; right: string }> {
  const out: Array<{ line: number; left: string; right: string }> = [];
  for (const [i, line] of text.split('\n').entries()) {
    for (const m of line.matchAll(/([\w.?[\]'"()]+)\s*[!=]==?\s*([\w.?[\]'"()]+)/g))
      out.push({ line: i + 1, left: bare(m[1]), right: bare(m[2]) });
  }
  return out;
}

/** The comparisons in `text` that involve a secret-looking operand and nothing harmless. */
function offending(text: string): string[] {
  return comparisons(text)
    .filter(({ left, right }) => {
      const secretish = SECRETISH.test(left) || SECRETISH.test(right);
      return secretish && !HARMLESS.test(left) && !HARMLESS.test(right);
    })
    .map(({ line, left, right }) => `${line}: ${left} vs ${right}`);
}

describe('secret comparisons', () => {
  it('compares no token, secret, password or signature with === or !== in functions/ and shared/', () => {
    const offenders = ['functions', 'shared']
      .flatMap(sources)
      .flatMap((file) => offending(readFileSync(file, 'utf8')).map((o) => `${file}:${o}`));
    expect(offenders).toEqual([]);
  });

  it('would catch a plain comparison of a secret, and lets presence and type checks pass', () => {
    expect(offending('if (given === secret.intacctSharedSecret) ok();')).toEqual([
      '1: given vs secret.intacctSharedSecret',
    ]);
    expect(offending("if (token !== undefined && typeof password === 'string') ok();")).toEqual([]);
  });
});
