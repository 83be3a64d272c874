// Tokenizer for Wireshark 4.0 display filters. Tokens are produced on demand (the parser pulls
// them), so a syntax error early in the text is reported before a bad token later on, as tshark does.
import { fail } from './errors';

export type TokKind =
  | 'LPAREN'
  | 'RPAREN'
  | 'COMMA'
  | 'LBRACE'
  | 'RBRACE'
  | 'DOTDOT'
  | 'DOLLAR'
  | 'LBRACKET'
  | 'RBRACKET'
  | 'HASH'
  /** one comma-separated part of a slice or layer range, raw text */
  | 'RANGE'
  /** the layer number after '#' */
  | 'INDEX'
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'ANY'
  | 'ALL'
  | 'IN'
  | 'CONTAINS'
  | 'MATCHES'
  | 'CMP'
  | 'PLUS'
  | 'MINUS'
  | 'STAR'
  | 'SLASH'
  | 'PERCENT'
  | 'BITAND'
  /** a word that is a field name or a literal, decided by the semantic check */
  | 'UNPARSED'
  /** a literal forced by a leading ':' */
  | 'LITERAL'
  /** a field forced by a leading '.' */
  | 'FIELD'
  | 'STRING'
  | 'CHARCONST'
  /** `${field}` — a field reference */
  | 'REF'
  /** a character no rule accepts; the parser reports it as unexpected */
  | 'BAD'
  | 'EOF';

export type CmpOp = 'any_eq' | 'all_ne' | 'all_eq' | 'any_ne' | 'gt' | 'ge' | 'lt' | 'le';

export interface Token {
  kind: TokKind;
  /** the source text of the token */
  text: string;
  start: number;
  end: number;
  /** CMP: which comparison */
  op?: CmpOp;
  /** UNPARSED/LITERAL/FIELD/REF: the name or literal text (LITERAL without its ':') */
  value?: string;
  /** STRING: the bytes of the string */
  bytes?: Uint8Array;
  /** STRING: raw string (r"...") */
  raw?: boolean;
  /** CHARCONST: the character's value */
  num?: number;
}

const KEYWORDS: Record<string, [TokKind, CmpOp?]> = {
  and: ['AND'],
  or: ['OR'],
  not: ['NOT'],
  any: ['ANY'],
  all: ['ALL'],
  in: ['IN'],
  contains: ['CONTAINS'],
  matches: ['MATCHES'],
  eq: ['CMP', 'any_eq'],
  any_eq: ['CMP', 'any_eq'],
  ne: ['CMP', 'all_ne'],
  all_ne: ['CMP', 'all_ne'],
  all_eq: ['CMP', 'all_eq'],
  any_ne: ['CMP', 'any_ne'],
  gt: ['CMP', 'gt'],
  ge: ['CMP', 'ge'],
  lt: ['CMP', 'lt'],
  le: ['CMP', 'le'],
  bitwise_and: ['BITAND'],
};

// ---- word patterns (each tried at the current position; the longest match wins) ----
const HEX2 = '[0-9A-Fa-f]{2}';
const MAC_RE = new RegExp(`${HEX2}(?::${HEX2}){5}|${HEX2}(?:-${HEX2}){5}`, 'y');
const DEC_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const IPV4 = `${DEC_OCTET}\\.${DEC_OCTET}\\.${DEC_OCTET}\\.${DEC_OCTET}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
/** RFC 3986 IPv6address, one alternative per regex so the longest can be chosen */
const IPV6_ALTS = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
];
const IPV4_RE = new RegExp(`${IPV4}(?:/[0-9]{1,2})?`, 'y');
const IPV6_RES = IPV6_ALTS.map((a) => new RegExp(`${a}(?:/[0-9]{1,3})?`, 'y'));
const COLON_BYTES_RE = new RegExp(`${HEX2}(?::${HEX2})+`, 'y');
/** after a ':' prefix: hex digits, or hex pairs joined by ':', '-' or '.' */
const PREFIXED_RE = [
  /[0-9A-Fa-f]+/y,
  COLON_BYTES_RE,
  new RegExp(`${HEX2}(?:-${HEX2})+`, 'y'),
  new RegExp(`${HEX2}(?:\\.${HEX2})+`, 'y'),
];
const WORD_RE = /[A-Za-z0-9_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*/y;

function matchLen(re: RegExp, s: string, pos: number): number {
  re.lastIndex = pos;
  const m = re.exec(s);
  return m ? m[0].length : 0;
}

/** The longest IPv6 address (with optional prefix) starting at pos, as a length. */
function ipv6Len(s: string, pos: number): number {
  let best = 0;
  for (const re of IPV6_RES) {
    // a regex with optional parts may stop early; try all alternatives and keep the longest
    const n = matchLen(re, s, pos);
    if (n > best) best = n;
  }
  return best;
}

export const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '"': 34,
  "'": 39,
};

const utf8 = new TextEncoder();

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9A-Fa-f]$/.test(c);
}

export class Lexer {
  private pos = 0;
  private mode: 'normal' | 'range' | 'layer' = 'normal';
  /** one token of lookahead */
  private peeked: Token | null = null;
  /** warnings found while scanning (deprecated operators) */
  readonly warnings: string[] = [];

  constructor(
    readonly text: string,
    /** resolves '.name' tokens, which must name a field when scanned */
    private readonly isField: (name: string) => boolean = () => true,
  ) {}

  peek(): Token {
    if (!this.peeked) this.peeked = this.scan();
    return this.peeked;
  }

  next(): Token {
    const t = this.peek();
    this.peeked = null;
    return t;
  }

  private tok(kind: TokKind, start: number, end: number, extra?: Partial<Token>): Token {
    this.pos = end;
    return { kind, text: this.text.slice(start, end), start, end, ...extra };
  }

  private scan(): Token {
    const s = this.text;
    if (this.mode === 'range') return this.scanRange();
    if (this.mode === 'layer') return this.scanLayer();
    while (this.pos < s.length && WHITESPACE.has(s[this.pos]!)) this.pos++;
    const p = this.pos;
    if (p >= s.length) return this.tok('EOF', p, p);
    const c = s[p]!;
    const c2 = s.slice(p, p + 2);
    const c3 = s.slice(p, p + 3);
    switch (c) {
      case '(':
        return this.tok('LPAREN', p, p + 1);
      case ')':
        return this.tok('RPAREN', p, p + 1);
      case ',':
        return this.tok('COMMA', p, p + 1);
      case '{':
        return this.tok('LBRACE', p, p + 1);
      case '}':
        return this.tok('RBRACE', p, p + 1);
      case '[':
        this.mode = 'range';
        return this.tok('LBRACKET', p, p + 1);
      case '#':
        this.mode = 'layer';
        return this.tok('HASH', p, p + 1);
      case '$':
        return this.scanDollar(p);
      case '=':
        if (c3 === '===') return this.tok('CMP', p, p + 3, { op: 'all_eq' });
        if (c2 === '==') return this.tok('CMP', p, p + 2, { op: 'any_eq' });
        return this.tok('BAD', p, p + 1);
      case '!':
        if (c3 === '!==') return this.tok('CMP', p, p + 3, { op: 'any_ne' });
        if (c2 === '!=') return this.tok('CMP', p, p + 2, { op: 'all_ne' });
        return this.tok('NOT', p, p + 1);
      case '~':
        if (c2 === '~=') {
          this.warnings.push('The operator "~=" is deprecated, use "!==" instead.');
          return this.tok('CMP', p, p + 2, { op: 'any_ne' });
        }
        return this.tok('MATCHES', p, p + 1);
      case '>':
        if (c2 === '>=') return this.tok('CMP', p, p + 2, { op: 'ge' });
        return this.tok('CMP', p, p + 1, { op: 'gt' });
      case '<':
        if (c2 === '<=') return this.tok('CMP', p, p + 2, { op: 'le' });
        return this.tok('CMP', p, p + 1, { op: 'lt' });
      case '&':
        if (c2 === '&&') return this.tok('AND', p, p + 2);
        return this.tok('BITAND', p, p + 1);
      case '|':
        if (c2 === '||') return this.tok('OR', p, p + 2);
        return this.tok('BAD', p, p + 1);
      case '+':
        return this.tok('PLUS', p, p + 1);
      case '-':
        return this.tok('MINUS', p, p + 1);
      case '*':
        return this.tok('STAR', p, p + 1);
      case '/':
        return this.tok('SLASH', p, p + 1);
      case '%':
        return this.tok('PERCENT', p, p + 1);
      case '"':
        return this.scanString(p, p + 1, false);
      case "'":
        return this.scanCharConst(p);
      case '.': {
        if (c2 === '..') return this.tok('DOTDOT', p, p + 2);
        const n = matchLen(WORD_RE, s, p + 1);
        if (n) {
          const name = s.slice(p + 1, p + 1 + n);
          if (!this.isField(name)) fail(`"${name}" is not a valid protocol or protocol field.`, p, p + 1 + n);
          return this.tok('FIELD', p, p + 1 + n, { value: name });
        }
        return this.tok('BAD', p, p + 1);
      }
      case ':': {
        const v6 = ipv6Len(s, p);
        const lit = Math.max(...PREFIXED_RE.map((re) => matchLen(re, s, p + 1)));
        if (v6 && v6 >= lit + 1) return this.tok('UNPARSED', p, p + v6, { value: s.slice(p, p + v6) });
        if (lit) return this.tok('LITERAL', p, p + 1 + lit, { value: s.slice(p + 1, p + 1 + lit) });
        return this.tok('BAD', p, p + 1);
      }
    }
    if ((c === 'r' || c === 'R') && s[p + 1] === '"') return this.scanString(p, p + 2, true);
    if (/[A-Za-z0-9_]/.test(c)) {
      const word = matchLen(WORD_RE, s, p);
      const n = Math.max(
        matchLen(MAC_RE, s, p),
        matchLen(IPV4_RE, s, p),
        ipv6Len(s, p),
        matchLen(COLON_BYTES_RE, s, p),
        word,
      );
      const text = s.slice(p, p + n);
      if (n === word) {
        const kw = KEYWORDS[text];
        if (kw) return this.tok(kw[0], p, p + n, kw[1] ? { op: kw[1] } : undefined);
      }
      return this.tok('UNPARSED', p, p + n, { value: text });
    }
    const code = c.charCodeAt(0);
    if (code < 0x20 || code >= 0x7f) fail('Non-printable ASCII characters may only appear inside double-quotes.', p, p + 1);
    return this.tok('BAD', p, p + 1);
  }

  /** `${name}` is a field reference (the name must be a field; macros are not supported). */
  private scanDollar(p: number): Token {
    const s = this.text;
    if (s[p + 1] !== '{') return this.tok('DOLLAR', p, p + 1);
    const close = s.indexOf('}', p + 2);
    if (close < 0) fail('end of filter in the middle of a macro expression');
    const name = s.slice(p + 2, close);
    return this.tok('REF', p, close + 1, { value: name });
  }

  private scanRange(): Token {
    const s = this.text;
    const p = this.pos;
    if (p >= s.length) fail('The right bracket was missing from a slice.', p, p + 1);
    const c = s[p]!;
    if (c === ',') return this.tok('COMMA', p, p + 1);
    if (c === ']') {
      this.mode = 'normal';
      return this.tok('RBRACKET', p, p + 1);
    }
    let e = p;
    while (e < s.length && s[e] !== ',' && s[e] !== ']') e++;
    return this.tok('RANGE', p, e, { value: s.slice(p, e) });
  }

  private scanLayer(): Token {
    const s = this.text;
    const p = this.pos;
    if (p >= s.length) return this.tok('EOF', p, p);
    const c = s[p]!;
    if (c === '[') {
      this.mode = 'range';
      return this.tok('LBRACKET', p, p + 1);
    }
    if (/[0-9]/.test(c)) {
      let e = p;
      while (e < s.length && /[0-9]/.test(s[e]!)) e++;
      this.mode = 'normal';
      return this.tok('INDEX', p, e, { value: s.slice(p, e) });
    }
    fail(`Expected digit or "[", not "${c}"`, p, p + 1);
  }

  /** A double-quoted string starting at `start` whose body begins at `body`. */
  private scanString(start: number, body: number, raw: boolean): Token {
    const s = this.text;
    const out: number[] = [];
    let i = body;
    const pushText = (t: string) => {
      for (const b of utf8.encode(t)) out.push(b);
    };
    for (;;) {
      if (i >= s.length) fail('The final quote was missing from a quoted string.', s.length, s.length + 1);
      const c = s[i]!;
      if (c === '"') {
        i++;
        break;
      }
      if (c !== '\\') {
        let j = i;
        while (j < s.length && s[j] !== '"' && s[j] !== '\\') j++;
        pushText(s.slice(i, j));
        i = j;
        continue;
      }
      // an escape sequence
      const e = s[i + 1];
      if (e === undefined) fail('The final quote was missing from a quoted string.', i, i + 1);
      if (raw) {
        pushText(s.slice(i, i + 2));
        i += 2;
        continue;
      }
      if (/[0-7]/.test(e)) {
        let j = i + 1;
        while (j < s.length && j < i + 4 && /[0-7]/.test(s[j]!)) j++;
        const v = parseInt(s.slice(i + 1, j), 8);
        if (v > 255) fail(`${s.slice(i, j)} is larger than 255.`, i, j);
        out.push(v);
        i = j;
        continue;
      }
      if (e === 'x' && isHex(s[i + 2])) {
        let j = i + 2;
        while (j < s.length && j < i + 4 && isHex(s[j])) j++;
        out.push(parseInt(s.slice(i + 2, j), 16));
        i = j;
        continue;
      }
      if (e === 'u' || e === 'U') {
        const want = e === 'u' ? 4 : 8;
        let j = i + 2;
        while (j < s.length && j < i + 2 + want && isHex(s[j])) j++;
        const seq = s.slice(i, j);
        const cp = j - (i + 2) === want ? parseInt(s.slice(i + 2, j), 16) : -1;
        const valid =
          cp >= 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && (cp >= 0xa0 || cp === 0x24 || cp === 0x40 || cp === 0x60);
        if (!valid) fail(`${seq} is not a valid universal character name`, i, j);
        pushText(String.fromCodePoint(cp));
        i = j;
        continue;
      }
      const simple = SIMPLE_ESCAPES[e];
      if (simple === undefined) fail(`\\${e} is not a valid character escape sequence`, i, i + 2);
      out.push(simple);
      i += 2;
    }
    return this.tok('STRING', start, i, { bytes: Uint8Array.from(out), raw });
  }

  /** 'c' — a character constant with C escapes, valued as an integer. */
  private scanCharConst(p: number): Token {
    const s = this.text;
    let i = p + 1;
    for (;;) {
      if (i >= s.length) fail('The final quote was missing from a character constant.', s.length, s.length + 1);
      if (s[i] === "'") break;
      i += s[i] === '\\' ? 2 : 1;
    }
    const end = i + 1;
    const text = s.slice(p, end);
    const body = utf8.encode(s.slice(p + 1, i));
    if (body.length === 0) fail('Empty character constant.', p, end);
    let v: number;
    let used: number;
    if (body[0] !== 0x5c) {
      v = body[0]!;
      if (v < 0x20 || v >= 0x7f) {
        const hex = v >= 0x80 ? 'ffffffffffffff' + v.toString(16) : v.toString(16).padStart(2, '0');
        fail(`Non-printable value '0x${hex}' in character constant.`, p, end);
      }
      used = 1;
    } else {
      const e = String.fromCharCode(body[1] ?? 0);
      const rest = String.fromCharCode(...body.subarray(2));
      if (e === 'x') {
        const m = /^[0-9A-Fa-f]+/.exec(rest);
        if (!m) fail(`${text} isn't a valid character constant.`, p, end);
        if (m[0].length > 2) fail(`${text} is too long to be a valid character constant.`, p, end);
        v = parseInt(m[0], 16);
        used = 2 + m[0].length;
      } else if (/[0-7]/.test(e)) {
        const m = /^[0-7]{0,2}/.exec(rest)!;
        v = parseInt(e + m[0], 8);
        if (v > 255) fail(`${text} is too large to be a valid character constant.`, p, end);
        used = 2 + m[0].length;
      } else if (e !== 'n' && SIMPLE_ESCAPES[e] !== undefined) {
        v = SIMPLE_ESCAPES[e]!;
        used = 2;
      } else if (e === 'n') {
        // tshark 4.0 rejects '\n' this way
        fail(`${text} is too long to be a valid character constant.`, p, end);
      } else {
        fail(`${text} isn't a valid character constant.`, p, end);
      }
    }
    if (used < body.length) {
      // "'\x4g'" and "'\08'": leftovers after an escape make it invalid, after a plain char too long
      if (body[0] === 0x5c) fail(`${text} isn't a valid character constant.`, p, end);
      fail(`${text} is too long to be a valid character constant.`, p, end);
    }
    return this.tok('CHARCONST', p, end, { num: v });
  }
}
