import { type CompareOp, compileCompare, type FieldReader, likeMatches } from './compare.ts';
import { SimFunctionError } from './errors.ts';

type Token = { t: 'id' | 'str' | 'num' | 'op' | 'kw' | '(' | ')' | ','; v: string };
/** A compiled readByQuery condition. */
export type Predicate = (read: FieldReader) => boolean;

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'LIKE', 'IN', 'IS', 'NULL']);

function queryError(message: string): SimFunctionError {
  // Intacct puts this kind of message straight into errorno
  return new SimFunctionError([{ errorno: 'Query Failed', description: '', description2: message }]);
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src.charAt(i);
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = '';
      i++;
      while (i < src.length && src.charAt(i) !== "'") {
        if (src.charAt(i) === '\\' && i + 1 < src.length) i++;
        s += src.charAt(i++);
      }
      if (i >= src.length) throw queryError('Invalid query: unterminated string literal');
      i++;
      out.push({ t: 'str', v: s });
    } else if (c === '(' || c === ')' || c === ',') {
      out.push({ t: c, v: c });
      i++;
    } else if ('<>=!'.includes(c)) {
      const two = src.slice(i, i + 2);
      const op = ['<=', '>=', '<>', '!='].includes(two) ? two : c;
      if (op === '!') throw queryError("Invalid query: unexpected '!'");
      out.push({ t: 'op', v: op === '!=' ? '<>' : op });
      i += op.length;
    } else if (/[-0-9.]/.test(c)) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
      if (!m) throw queryError(`Invalid query near '${src.slice(i, i + 10)}'`);
      out.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(src.slice(i));
      const word = m?.[0] ?? c;
      out.push(KEYWORDS.has(word.toUpperCase()) ? { t: 'kw', v: word.toUpperCase() } : { t: 'id', v: word });
      i += word.length;
    } else {
      throw queryError(`Invalid query: unexpected '${c}'`);
    }
  }
  return out;
}

/**
 * Compiles readByQuery's SQL-WHERE subset: = <> < > <= >=, [NOT] LIKE, [NOT] IN (…), IS [NOT] NULL,
 * AND/OR/NOT, parentheses, single-quoted strings with backslash escapes. Empty = match everything.
 */
export function compileQuery(src: string): Predicate {
  const tokens = tokenize(src);
  if (tokens.length === 0) return () => true;
  let pos = 0;
  const peek = () => tokens[pos];
  const take = () => {
    const t = tokens[pos++];
    if (!t) throw queryError('Invalid query: unexpected end');
    return t;
  };
  const isKw = (v: string) => peek()?.t === 'kw' && peek()?.v === v;
  /** Consumes the keyword when it is next. */
  const accept = (v: string) => {
    if (!isKw(v)) return false;
    pos++;
    return true;
  };
  const literal = (): string => {
    const t = take();
    if (t.t !== 'str' && t.t !== 'num') throw queryError(`Invalid query: expected a value, got '${t.v}'`);
    return t.v;
  };

  const or = (): Predicate => {
    let left = and();
    while (isKw('OR')) {
      take();
      const l = left;
      const r = and();
      left = (read) => l(read) || r(read);
    }
    return left;
  };
  const and = (): Predicate => {
    let left = not();
    while (isKw('AND')) {
      take();
      const l = left;
      const r = not();
      left = (read) => l(read) && r(read);
    }
    return left;
  };
  const not = (): Predicate => {
    if (isKw('NOT')) {
      take();
      const inner = not();
      return (read) => !inner(read);
    }
    return primary();
  };
  const primary = (): Predicate => {
    if (peek()?.t === '(') {
      take();
      const inner = or();
      if (take().t !== ')') throw queryError("Invalid query: expected ')'");
      return inner;
    }
    const field = take();
    if (field.t !== 'id') throw queryError(`Invalid query: expected a field name, got '${field.v}'`);
    const name = field.v;
    const negate = accept('NOT');
    const next = take();
    if (next.t === 'op') {
      const value = literal();
      const test = compileCompare(next.v as CompareOp, value);
      return (read) => test(read(name));
    }
    if (next.t === 'kw' && next.v === 'LIKE') {
      const pattern = literal();
      return (read) => likeMatches(read(name).value ?? '', pattern) !== negate;
    }
    if (next.t === 'kw' && next.v === 'IN') {
      if (take().t !== '(') throw queryError("Invalid query: expected '(' after IN");
      const values = [literal()];
      while (peek()?.t === ',') {
        take();
        values.push(literal());
      }
      if (take().t !== ')') throw queryError("Invalid query: expected ')'");
      const tests = values.map((v) => compileCompare('=', v));
      return (read) => {
        const r = read(name);
        return tests.some((t) => t(r)) !== negate;
      };
    }
    if (next.t === 'kw' && next.v === 'IS') {
      const isNot = accept('NOT');
      if (take().v !== 'NULL') throw queryError('Invalid query: expected NULL after IS');
      return (read) => {
        const v = read(name).value;
        return (v === undefined || v === '') !== isNot;
      };
    }
    throw queryError(`Invalid query near '${next.v}'`);
  };

  const predicate = or();
  if (pos !== tokens.length) throw queryError(`Invalid query near '${tokens[pos]?.v}'`);
  return predicate;
}
