import {
  AGGREGATE_FNS,
  type AggregateFn,
  type Condition,
  DATE_FNS,
  type DateFn,
  type GroupItem,
  type Literal,
  type Operator,
  type OrderItem,
  type SelectItem,
  type SoqlQuery,
} from './ast.ts';
import { malformed, type Token, tokenize } from './lexer.ts';

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'BY',
  'LIMIT',
  'OFFSET',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'HAVING',
]);
/** Words that are keywords only when BY follows: `Order` and `Group` are sObjects and relationship names too. */
const BY_KEYWORDS = new Set(['ORDER', 'GROUP']);
const RELATIVE = /^(TODAY|YESTERDAY|TOMORROW|LAST_N_DAYS|NEXT_N_DAYS|N_DAYS_AGO)$/i;

/** Parses the SOQL subset; anything outside it is MALFORMED_QUERY, as Salesforce answers. */
export function parseSoql(soql: string): SoqlQuery {
  const p = new Parser(soql, tokenize(soql));
  const q = p.query();
  p.end();
  return q;
}

class Parser {
  readonly #soql: string;
  readonly #tokens: Token[];
  #i = 0;

  constructor(soql: string, tokens: Token[]) {
    this.#soql = soql;
    this.#tokens = tokens;
  }

  #peek(offset = 0): Token | undefined {
    return this.#tokens[this.#i + offset];
  }

  #fail(what: string): never {
    throw malformed(this.#soql, this.#peek()?.pos ?? this.#soql.length, what);
  }

  #isKw(word: string, offset = 0): boolean {
    const tok = this.#peek(offset);
    return tok?.t === 'ident' && tok.v.toUpperCase() === word;
  }

  #kw(word: string): void {
    if (!this.#isKw(word)) this.#fail(`expecting '${word}'`);
    this.#i++;
  }

  #isPunct(v: string): boolean {
    const tok = this.#peek();
    return tok?.t === 'punct' && tok.v === v;
  }

  #punct(v: string): void {
    if (!this.#isPunct(v)) this.#fail(`expecting '${v}'`);
    this.#i++;
  }

  end(): void {
    if (this.#peek()) this.#fail('unexpected token');
  }

  query(): SoqlQuery {
    this.#kw('SELECT');
    const select: SelectItem[] = [];
    let count = false;
    if (this.#isKw('COUNT') && this.#tokens[this.#i + 1]?.v === '(' && this.#tokens[this.#i + 2]?.v === ')') {
      this.#i += 3;
      count = true;
      if (!this.#isKw('FROM')) this.#fail('COUNT() must be the only element in the SELECT list');
    } else {
      do select.push(this.#selectItem());
      while (this.#isPunct(',') && ++this.#i);
    }
    this.#kw('FROM');
    const from = this.#ident();
    const q: SoqlQuery = {
      select,
      count,
      from,
      where: undefined,
      groupBy: [],
      having: undefined,
      orderBy: [],
      limit: undefined,
      offset: undefined,
    };
    if (this.#isKw('WHERE')) {
      this.#i++;
      q.where = this.#or(false);
    }
    if (this.#isKw('GROUP') && this.#isKw('BY', 1)) {
      this.#i += 2;
      if (this.#isKw('ROLLUP') || this.#isKw('CUBE'))
        this.#fail('GROUP BY ROLLUP and CUBE are not supported');
      do q.groupBy.push(this.#groupItem());
      while (this.#isPunct(',') && ++this.#i);
    }
    if (this.#isKw('HAVING')) {
      this.#i++;
      q.having = this.#or(true);
    }
    if (this.#isKw('ORDER')) {
      this.#i++;
      this.#kw('BY');
      do q.orderBy.push(this.#orderItem());
      while (this.#isPunct(',') && ++this.#i);
    }
    if (this.#isKw('LIMIT')) {
      this.#i++;
      q.limit = this.#int();
    }
    if (this.#isKw('OFFSET')) {
      this.#i++;
      q.offset = this.#int();
    }
    return q;
  }

  /** A field, a function call or a subquery, and an optional alias after it. */
  #selectItem(): SelectItem {
    if (this.#isPunct('(')) {
      this.#i++;
      const query = this.query();
      this.#punct(')');
      return { kind: 'subquery', query };
    }
    const call = this.#call(true);
    const item: SelectItem = call
      ? call.kind === 'aggregate'
        ? { kind: 'aggregate', fn: call.fn, path: call.path }
        : { kind: 'date', fn: call.fn, path: call.path }
      : { kind: 'field', path: this.#path() };
    const tok = this.#peek();
    if (tok?.t === 'ident' && !KEYWORDS.has(tok.v.toUpperCase())) {
      this.#i++;
      item.alias = tok.v;
    }
    return item;
  }

  /**
   * `FN(path)` when the next tokens are a known function and `(`; undefined otherwise (a path).
   * Aggregates are refused where they may not appear (WHERE, GROUP BY).
   */
  #call(
    aggregates: boolean,
  ):
    | { kind: 'aggregate'; fn: AggregateFn; path: string[] }
    | { kind: 'date'; fn: DateFn; path: string[] }
    | undefined {
    const tok = this.#peek();
    const next = this.#peek(1);
    if (tok?.t !== 'ident' || next?.t !== 'punct' || next.v !== '(') return undefined;
    const name = tok.v.toUpperCase();
    const aggregate = AGGREGATE_FNS.has(name);
    if (!aggregate && !DATE_FNS.has(name)) this.#fail(`unknown function '${tok.v}'`);
    if (aggregate && !aggregates) this.#fail(`aggregate function ${name}() is not allowed here`);
    this.#i += 2;
    if (name === 'COUNT' && this.#isPunct(')'))
      this.#fail('COUNT() must be the only element in the SELECT list');
    if (this.#isKw('CONVERTTIMEZONE')) this.#fail('convertTimezone() is not supported by the simulator');
    const path = this.#path();
    this.#punct(')');
    return aggregate
      ? { kind: 'aggregate', fn: name as AggregateFn, path }
      : { kind: 'date', fn: name as DateFn, path };
  }

  #groupItem(): GroupItem {
    const call = this.#call(false);
    if (call?.kind === 'aggregate') return this.#fail('aggregate functions cannot be grouped');
    return call ?? { kind: 'field', path: this.#path() };
  }

  #ident(): string {
    const tok = this.#peek();
    // `Order` and `Group` are sObjects and relationship names too: only ORDER/GROUP + BY is the keyword
    const next = this.#peek(1);
    const upper = tok?.t === 'ident' ? tok.v.toUpperCase() : '';
    const byKeyword = BY_KEYWORDS.has(upper) && next?.t === 'ident' && next.v.toUpperCase() === 'BY';
    if (tok?.t !== 'ident' || KEYWORDS.has(upper) || byKeyword) this.#fail('expecting an identifier');
    this.#i++;
    return tok.v;
  }

  #path(): string[] {
    const path = [this.#ident()];
    while (this.#isPunct('.')) {
      this.#i++;
      path.push(this.#ident());
    }
    return path;
  }

  #int(): number {
    const tok = this.#peek();
    if (tok?.t !== 'number' || !Number.isInteger(tok.v) || tok.v < 0)
      this.#fail('expecting a non-negative integer');
    this.#i++;
    return tok.v;
  }

  #orderItem(): OrderItem {
    const call = this.#call(true);
    const path = call?.path ?? this.#path();
    let desc = false;
    if (this.#isKw('ASC') || this.#isKw('DESC'))
      desc = String(this.#tokens[this.#i++]?.v).toUpperCase() === 'DESC';
    let nullsLast = desc;
    if (this.#isKw('NULLS')) {
      this.#i++;
      if (this.#isKw('FIRST')) nullsLast = false;
      else if (this.#isKw('LAST')) nullsLast = true;
      else this.#fail("expecting 'FIRST' or 'LAST'");
      this.#i++;
    }
    return call ? { path, fn: call.fn, desc, nullsLast } : { path, desc, nullsLast };
  }

  /** A WHERE (`having` false: no aggregates) or HAVING condition. */
  #or(having: boolean): Condition {
    let left = this.#and(having);
    while (this.#isKw('OR')) {
      this.#i++;
      left = { kind: 'or', left, right: this.#and(having) };
    }
    return left;
  }

  #and(having: boolean): Condition {
    let left = this.#unary(having);
    while (this.#isKw('AND')) {
      this.#i++;
      left = { kind: 'and', left, right: this.#unary(having) };
    }
    return left;
  }

  #unary(having: boolean): Condition {
    if (this.#isKw('NOT') && !this.#isKw('IN', 1)) {
      this.#i++;
      return { kind: 'not', cond: this.#unary(having) };
    }
    if (this.#isPunct('(')) {
      this.#i++;
      const inner = this.#or(having);
      this.#punct(')');
      return inner;
    }
    const call = this.#call(having);
    const path = call?.path ?? this.#path();
    const fn = call ? { fn: call.fn } : {};
    if (this.#isKw('NOT') || this.#isKw('IN')) {
      const negated = this.#isKw('NOT');
      if (negated) this.#i++;
      this.#kw('IN');
      this.#punct('(');
      const values: Literal[] = [];
      do values.push(this.#literal());
      while (this.#isPunct(',') && ++this.#i);
      this.#punct(')');
      return { kind: 'in', path, ...fn, negated, values };
    }
    let op: Operator;
    if (this.#isKw('LIKE')) op = 'LIKE';
    else {
      const tok = this.#peek();
      if (tok?.t !== 'punct' || !['=', '!=', '<', '<=', '>', '>='].includes(tok.v))
        this.#fail('expecting an operator');
      op = tok.v as Operator;
    }
    this.#i++;
    return { kind: 'cmp', path, ...fn, op, value: this.#literal() };
  }

  #literal(): Literal {
    const tok = this.#peek();
    if (!tok) this.#fail('expecting a value');
    this.#i++;
    switch (tok.t) {
      case 'string':
        return { kind: 'string', value: tok.v };
      case 'number':
        return { kind: 'number', value: tok.v };
      case 'date':
        return { kind: 'date', value: tok.v };
      case 'datetime':
        return { kind: 'datetime', ms: tok.v };
      case 'ident': {
        const upper = tok.v.toUpperCase();
        if (upper === 'NULL') return { kind: 'null' };
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (RELATIVE.test(tok.v)) {
          let n: number | undefined;
          if (this.#isPunct(':')) {
            this.#i++;
            n = this.#int();
          }
          return { kind: 'relative', name: upper, n };
        }
        this.#i--;
        return this.#fail('expecting a value');
      }
      default:
        this.#i--;
        return this.#fail('expecting a value');
    }
  }
}
