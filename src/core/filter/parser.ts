// Recursive-descent parser for the Wireshark 4.0 display-filter grammar.
//
//   sentence   := <empty> | expr
//   expr       := expr or expr | expr and expr | not expr | ( expr ) | relation | arith
//   relation   := [any|all] ( arith cmp arith [cmp arith …]      (a < b < c means a < b and b < c)
//                           | entity contains entity | entity matches entity
//                           | entity [not] in { elem, … } )
//   arith      := arith & arith | arith (+|-) arith | arith (*|/|%) arith | (+|-) entity
//               | { arith } | entity                              (& lowest, * / % highest)
//   entity     := literal | "string" | 'c' | :literal | .field | field#layer | ${field}
//               | name(arith, …) | entity[range, …]
import type { Arith, Entity, Quant, RangeNode, SetElem, Test } from './ast';
import { fail } from './errors';
import { Lexer, type Token } from './lexer';

export function parseFilter(lexer: Lexer): Test | null {
  const p = new Parser(lexer);
  if (lexer.peek().kind === 'EOF') return null;
  const t = p.expr();
  p.expectEnd();
  return t;
}

/** "X" was unexpected in this context, with X as tshark quotes it. */
function unexpected(t: Token): never {
  if (t.kind === 'EOF') fail('Unexpected end of filter expression.');
  if (t.kind === 'REF') fail('"$" was unexpected in this context.', t.start, t.start + 1);
  const shown = t.kind === 'FIELD' ? t.value! : t.text;
  fail(`"${shown}" was unexpected in this context.`, t.start, t.end);
}

/** Parse a strtol(…, 0)-style integer at the start of s: returns [value, rest] or null. */
function strtol(s: string): { v: number; rest: string; overflow: boolean } | null {
  const m = /^[ \t\n\r]*([+-]?)(0[xX][0-9A-Fa-f]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) return null;
  const body = m[2]!;
  let v: number;
  if (/^0[xX]/.test(body)) v = parseInt(body.slice(2), 16);
  else if (body.length > 1 && body[0] === '0') v = parseInt(body, 8);
  else v = parseInt(body, 10);
  if (m[1] === '-') v = -v;
  return { v, rest: s.slice(m[0].length), overflow: v > 2147483647 || v < -2147483648 };
}

/** Parse one comma-separated part of a slice/layer range, with tshark's messages. */
export function parseRangeNode(text: string, start: number, end: number): RangeNode {
  const notNumber = () => fail(`"${text}" is not a valid number.`, start, end);
  const notRange = () => fail(`"${text}" is not a valid range.`, start, end);
  const trimmed = text.replace(/^[ \t\n\r]+/, '');
  let first: number;
  let rest: string;
  if (trimmed.startsWith(':')) {
    first = 0;
    rest = trimmed;
  } else {
    const n = strtol(text);
    if (!n) return notNumber();
    if (n.overflow) fail(`"${text}" causes an integer overflow.`, start, end);
    first = n.v;
    rest = n.rest;
  }
  rest = rest.replace(/^[ \t\n\r]+/, '');
  if (rest === '') return { kind: 'len', start: first, len: 1 };
  const sep = rest[0];
  const after = rest.slice(1).replace(/^[ \t\n\r]+/, '');
  if (sep === ':') {
    if (after === '') return { kind: 'toend', start: first };
    const n = strtol(after);
    if (!n || n.overflow || n.rest.trim() !== '') return notRange();
    if (n.v <= 0) fail(`Range ${text} isn't valid because length ${n.v} isn't positive`, start, end);
    return { kind: 'len', start: first, len: n.v };
  }
  if (sep === '-') {
    const n = strtol(after);
    if (!n || n.overflow || n.rest.trim() !== '') return notRange();
    const last = n.v;
    if ((first < 0 && last > 0) || (first > 0 && last < 0))
      fail(`Range ${text} isn't valid because ${first} and ${last} have different signs`, start, end);
    if (first >= last) fail(`Range ${text} isn't valid because ${first} is greater or equal than ${last}`, start, end);
    return { kind: 'end', start: first, end: last };
  }
  return notRange();
}

/** Deepest nesting of ( ), { }, !, - and function calls accepted (tshark's parser stack gives out near 100). */
export const MAX_NESTING = 100;
/** Most binary operators (and, or, arithmetic) in one filter: each chains one level deeper in the tree. */
export const MAX_OPERATORS = 1000;

class Parser {
  constructor(private readonly lx: Lexer) {}
  private depth = 0;
  private operators = 0;

  /** Count one binary operator; a positioned error instead of a tree too deep to compile. */
  private operator(t: Token): void {
    if (++this.operators > MAX_OPERATORS) fail(`The filter expression is too long (more than ${MAX_OPERATORS} operators).`, t.start, t.end);
  }

  /** Enter one nesting level at token `t`; a positioned error instead of a stack overflow when too deep. */
  private enter(t: Token): void {
    if (++this.depth > MAX_NESTING) fail(`The filter expression is nested too deeply (more than ${MAX_NESTING} levels).`, t.start, t.end);
  }

  private peek(): Token {
    return this.lx.peek();
  }

  private next(): Token {
    return this.lx.next();
  }

  private expect(kind: Token['kind']): Token {
    const t = this.peek();
    if (t.kind !== kind) unexpected(t);
    return this.next();
  }

  expectEnd(): void {
    const t = this.peek();
    if (t.kind !== 'EOF') unexpected(t);
  }

  expr(): Test {
    let a = this.andExpr();
    while (this.peek().kind === 'OR') {
      this.operator(this.next());
      const b = this.andExpr();
      a = { k: 'or', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private andExpr(): Test {
    let a = this.notExpr();
    while (this.peek().kind === 'AND') {
      this.operator(this.next());
      const b = this.notExpr();
      a = { k: 'and', a, b, start: a.start, end: b.end };
    }
    return a;
  }

  private notExpr(): Test {
    const t = this.peek();
    if (t.kind === 'NOT') {
      this.next();
      this.enter(t);
      const a = this.notExpr();
      this.depth--;
      return { k: 'not', a, start: t.start, end: a.end };
    }
    if (t.kind === 'LPAREN') {
      this.next();
      this.enter(t);
      const a = this.expr();
      this.expect('RPAREN');
      this.depth--;
      return a;
    }
    return this.relation();
  }

  private relation(): Test {
    const t = this.peek();
    let quant: Quant;
    if (t.kind === 'ANY' || t.kind === 'ALL') {
      this.next();
      quant = t.kind === 'ANY' ? 'any' : 'all';
    }
    const a = this.arith();
    const op = this.peek();
    if (op.kind === 'CMP') return this.comparison(a, quant);
    const isEntity = a.k !== 'arith' && a.k !== 'neg' && a.k !== 'group';
    if (isEntity && (op.kind === 'CONTAINS' || op.kind === 'MATCHES')) {
      this.next();
      const b = this.entity();
      return {
        k: op.kind === 'CONTAINS' ? 'contains' : 'matches',
        opText: op.text,
        a,
        b,
        quant,
        start: a.start,
        end: b.end,
      };
    }
    if (isEntity && op.kind === 'IN') {
      this.next();
      return this.inSet(a, quant, false);
    }
    if (isEntity && op.kind === 'NOT') {
      this.next();
      this.expect('IN');
      return this.inSet(a, quant, true);
    }
    if (quant) unexpected(op);
    return { k: 'bare', a, start: a.start, end: a.end };
  }

  /** a cmp b [cmp c …] — a chain becomes (a cmp b) and (b cmp c) … */
  private comparison(a: Arith, quant: Quant): Test {
    const op = this.next();
    const b = this.arith();
    const first: Test = { k: 'cmp', op: op.op!, opText: op.text, a, b, quant, start: a.start, end: b.end };
    if (this.peek().kind !== 'CMP') return first;
    const rest = this.comparison(b, quant);
    return { k: 'and', a: first, b: rest, start: a.start, end: rest.end };
  }

  private inSet(a: Entity, quant: Quant, negated: boolean): Test {
    this.expect('LBRACE');
    const set: SetElem[] = [];
    for (;;) {
      const low = this.setEntity();
      let high: Arith | undefined;
      if (this.peek().kind === 'DOTDOT') {
        this.next();
        high = this.setEntity();
      }
      set.push({ low, high });
      const t = this.next();
      if (t.kind === 'RBRACE') {
        const test: Test = { k: 'in', a, set, quant, start: a.start, end: t.end };
        return negated ? { k: 'not', a: test, start: a.start, end: t.end } : test;
      }
      if (t.kind !== 'COMMA') unexpected(t);
    }
  }

  private setEntity(): Arith {
    const t = this.peek();
    if (t.kind === 'MINUS' || t.kind === 'PLUS') {
      this.next();
      const a = this.entity();
      return { k: 'neg', a, plus: t.kind === 'PLUS', start: t.start, end: a.end };
    }
    return this.entity();
  }

  // ---- arithmetic, by precedence: & < + - < * / % ----
  arith(): Arith {
    let a = this.additive();
    while (this.peek().kind === 'BITAND') {
      const op = this.next();
      this.operator(op);
      const b = this.additive();
      a = { k: 'arith', op: '&', a, b, opText: op.text, opStart: op.start, start: a.start, end: b.end };
    }
    return a;
  }

  private additive(): Arith {
    let a = this.multiplicative();
    for (;;) {
      const t = this.peek().kind;
      if (t !== 'PLUS' && t !== 'MINUS') return a;
      const op = this.next();
      this.operator(op);
      const b = this.multiplicative();
      a = { k: 'arith', op: t === 'PLUS' ? '+' : '-', a, b, opText: op.text, opStart: op.start, start: a.start, end: b.end };
    }
  }

  private multiplicative(): Arith {
    let a = this.unary();
    for (;;) {
      const t = this.peek().kind;
      if (t !== 'STAR' && t !== 'SLASH' && t !== 'PERCENT') return a;
      const op = this.next();
      this.operator(op);
      const b = this.unary();
      const sym = t === 'STAR' ? '*' : t === 'SLASH' ? '/' : '%';
      a = { k: 'arith', op: sym, a, b, opText: op.text, opStart: op.start, start: a.start, end: b.end };
    }
  }

  private unary(): Arith {
    const t = this.peek();
    if (t.kind === 'MINUS' || t.kind === 'PLUS') {
      this.next();
      const a = this.entity();
      return { k: 'neg', a, plus: t.kind === 'PLUS', start: t.start, end: a.end };
    }
    if (t.kind === 'LBRACE') {
      this.next();
      this.enter(t);
      const a = this.arith();
      const close = this.expect('RBRACE');
      this.depth--;
      return { k: 'group', a, start: t.start, end: close.end };
    }
    return this.entity();
  }

  // ---- entities ----
  entity(): Entity {
    const t = this.next();
    let e: Entity;
    switch (t.kind) {
      case 'STRING':
        e = { k: 'string', bytes: t.bytes!, raw: t.text, start: t.start, end: t.end };
        break;
      case 'CHARCONST':
        e = { k: 'charconst', value: t.num!, raw: t.text, start: t.start, end: t.end };
        break;
      case 'LITERAL':
        e = { k: 'literal', text: t.value!, raw: t.text, start: t.start, end: t.end };
        break;
      case 'REF':
        e = { k: 'ref', name: t.value!, start: t.start, end: t.end };
        break;
      case 'DOLLAR':
        // '$' must open a field reference '${…}'
        return unexpected(this.peek().kind === 'LBRACE' ? this.next() : this.peek());
      case 'FIELD':
        e = { k: 'field', name: t.value!, explicit: true, start: t.start, end: t.end };
        if (this.peek().kind === 'HASH') e.layers = this.layer();
        break;
      case 'UNPARSED': {
        const nt = this.peek();
        if (nt.kind === 'LPAREN') {
          e = this.functionCall(t);
        } else if (nt.kind === 'HASH') {
          e = { k: 'field', name: t.value!, explicit: false, start: t.start, end: t.end, layers: this.layer() };
        } else {
          e = { k: 'unparsed', text: t.value!, start: t.start, end: t.end };
        }
        break;
      }
      default:
        return unexpected(t);
    }
    while (this.peek().kind === 'LBRACKET') {
      this.next();
      const { ranges, text, end } = this.ranges();
      e = { k: 'slice', of: e, ranges, rangeText: text, start: e.start, end };
    }
    return e;
  }

  private functionCall(name: Token): Entity {
    this.enter(name);
    try {
      return this.functionCallInner(name);
    } finally {
      this.depth--;
    }
  }

  private functionCallInner(name: Token): Entity {
    this.next(); // (
    const args: Arith[] = [];
    if (this.peek().kind === 'RPAREN') {
      const close = this.next();
      return { k: 'func', name: name.value!, nameEnd: name.end, args, start: name.start, end: close.end };
    }
    for (;;) {
      args.push(this.arith());
      const t = this.next();
      if (t.kind === 'RPAREN')
        return { k: 'func', name: name.value!, nameEnd: name.end, args, start: name.start, end: t.end };
      if (t.kind !== 'COMMA') unexpected(t);
    }
  }

  /** After '#': a layer number or a bracketed range list. */
  private layer(): RangeNode[] {
    this.next(); // #
    const t = this.next();
    if (t.kind === 'INDEX') {
      const n = Number(t.value);
      if (n > 2147483647) fail(`"${t.value}" causes an integer overflow.`, t.start, t.end);
      return [{ kind: 'len', start: n, len: 1 }];
    }
    if (t.kind === 'LBRACKET') return this.ranges().ranges;
    return unexpected(t);
  }

  /** After '[': range nodes up to ']'. */
  private ranges(): { ranges: RangeNode[]; text: string; end: number } {
    const ranges: RangeNode[] = [];
    const texts: string[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind !== 'RANGE') unexpected(t);
      ranges.push(parseRangeNode(t.text, t.start, t.end));
      texts.push(t.text);
      const s = this.next();
      if (s.kind === 'RBRACKET') return { ranges, text: texts.join(','), end: s.end };
      if (s.kind !== 'COMMA') unexpected(s);
    }
  }
}
