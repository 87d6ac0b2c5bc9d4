import type { Condition, Literal, Operator, OrderItem, SelectItem, SoqlQuery } from './ast.ts';
import { malformed, type Token, tokenize } from './lexer.ts';

const KEYWORDS = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'ORDER',
  'BY',
  'LIMIT',
  'OFFSET',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
]);
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
    } else {
      do {
        if (this.#isPunct('(')) {
          this.#i++;
          select.push({ kind: 'subquery', query: this.query() });
          this.#punct(')');
        } else {
          select.push({ kind: 'field', path: this.#path() });
        }
      } while (this.#isPunct(',') && ++this.#i);
    }
    this.#kw('FROM');
    const from = this.#ident();
    const q: SoqlQuery = {
      select,
      count,
      from,
      where: undefined,
      orderBy: [],
      limit: undefined,
      offset: undefined,
    };
    if (this.#isKw('WHERE')) {
      this.#i++;
      q.where = this.#or();
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

  #ident(): string {
    const tok = this.#peek();
    // `Order` is an sObject and a relationship name too: only ORDER followed by BY is the keyword
    const next = this.#peek(1);
    const orderName =
      tok?.t === 'ident' &&
      tok.v.toUpperCase() === 'ORDER' &&
      !(next?.t === 'ident' && next.v.toUpperCase() === 'BY');
    if (tok?.t !== 'ident' || (KEYWORDS.has(tok.v.toUpperCase()) && !orderName))
      this.#fail('expecting an identifier');
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
    const path = this.#path();
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
    return { path, desc, nullsLast };
  }

  #or(): Condition {
    let left = this.#and();
    while (this.#isKw('OR')) {
      this.#i++;
      left = { kind: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): Condition {
    let left = this.#unary();
    while (this.#isKw('AND')) {
      this.#i++;
      left = { kind: 'and', left, right: this.#unary() };
    }
    return left;
  }

  #unary(): Condition {
    if (this.#isKw('NOT') && !this.#isKw('IN', 1)) {
      this.#i++;
      return { kind: 'not', cond: this.#unary() };
    }
    if (this.#isPunct('(')) {
      this.#i++;
      const inner = this.#or();
      this.#punct(')');
      return inner;
    }
    const path = this.#path();
    if (this.#isKw('NOT') || this.#isKw('IN')) {
      const negated = this.#isKw('NOT');
      if (negated) this.#i++;
      this.#kw('IN');
      this.#punct('(');
      const values: Literal[] = [];
      do values.push(this.#literal());
      while (this.#isPunct(',') && ++this.#i);
      this.#punct(')');
      return { kind: 'in', path, negated, values };
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
    return { kind: 'cmp', path, op, value: this.#literal() };
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
