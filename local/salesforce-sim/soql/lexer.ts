import { ApiError } from '../api-error.ts';
import { parseDateTime } from '../dates.ts';

export type Token =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'string'; v: string; pos: number }
  | { t: 'number'; v: number; pos: number }
  | { t: 'date'; v: string; pos: number }
  | { t: 'datetime'; v: number; pos: number }
  | { t: 'punct'; v: string; pos: number };

/** MALFORMED_QUERY with the position Salesforce-style messages point at. */
export const malformed = (soql: string, pos: number, what: string): ApiError =>
  new ApiError(
    400,
    'MALFORMED_QUERY',
    `${what} at position ${pos + 1}: ${soql.slice(Math.max(0, pos - 20), pos + 20)}`,
  );

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  "'": "'",
  '"': '"',
  '\\': '\\',
  _: '\\_',
  '%': '\\%',
};

/** Splits SOQL into tokens; string literals honour backslash escapes (`\'`, `\\`, `\n` …). */
export function tokenize(soql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < soql.length) {
    const ch = soql.charAt(i);
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = soql.slice(i);
    const dt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/.exec(rest);
    if (dt) {
      const ms = parseDateTime(dt[0]);
      if (Number.isNaN(ms)) throw malformed(soql, i, 'invalid datetime literal');
      out.push({ t: 'datetime', v: ms, pos: i });
      i += dt[0].length;
      continue;
    }
    const d = /^\d{4}-\d{2}-\d{2}(?![\d:])/.exec(rest);
    if (d) {
      out.push({ t: 'date', v: d[0], pos: i });
      i += d[0].length;
      continue;
    }
    const num = /^-?\d+(\.\d+)?/.exec(rest);
    if (num) {
      out.push({ t: 'number', v: Number(num[0]), pos: i });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (id) {
      out.push({ t: 'ident', v: id[0], pos: i });
      i += id[0].length;
      continue;
    }
    if (ch === "'") {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= soql.length) throw malformed(soql, i, 'unterminated string literal');
        const c = soql.charAt(j);
        if (c === "'") break;
        if (c === '\\') {
          const next = soql.charAt(j + 1);
          const mapped = ESCAPES[next];
          if (mapped === undefined) throw malformed(soql, j, 'invalid escape sequence');
          value += mapped;
          j += 2;
          continue;
        }
        value += c;
        j++;
      }
      out.push({ t: 'string', v: value, pos: i });
      i = j + 1;
      continue;
    }
    const op = /^(!=|<>|<=|>=|[=<>(),.:])/.exec(rest);
    if (op) {
      out.push({ t: 'punct', v: op[0] === '<>' ? '!=' : op[0], pos: i });
      i += op[0].length;
      continue;
    }
    throw malformed(soql, i, `unexpected character '${ch}'`);
  }
  return out;
}
