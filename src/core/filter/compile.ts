// Semantic check and code generation in one pass: names are resolved against the field registry,
// literals are parsed for the type they are compared with (once, at compile time), and every node
// becomes a closure. Errors are raised in the order tshark 4.0 finds them, with its wording.
import type { FieldDef, TimeValue } from '../fields/registry';
import { lookupField as getField } from './names';
import type { Item, Packet } from '../dissect/packet';
import { ipv4ToString, ipv6ToString, etherToString } from '../fields/format';
import type { Arith, Entity, RangeNode, SetElem, Span, Test } from './ast';
import { fail, FilterSyntaxError } from './errors';
import type { CmpOp } from './lexer';
import {
  boolFromName,
  bytesToJsString,
  intFromString,
  jsStringToBytes,
  parseAbsTime,
  parseBoolLiteral,
  parseBytesLiteral,
  parseEtherLiteral,
  parseFloatLiteral,
  parseIntLiteral,
  parseIPv4Literal,
  parseIPv6Literal,
  parseRelTime,
} from './literals';
import { translatePcre } from './regex';
import {
  BYTES_T,
  STRING_T,
  UINT32_T,
  canAddSub,
  canBitAnd,
  canContains,
  canMatches,
  canModulo,
  canMulDiv,
  canNegate,
  canSlice,
  canStringify,
  compatible,
  ftName,
  intBytes,
  isIntegral,
  kindOf,
  prettyName,
  vtypeOf,
  type VType,
} from './types';

// ------------------------------------------------------------------ run-time model

export type V = number | string | Uint8Array | TimeValue;
/** values of an operand; null = a field it needs is absent (the test is false) */
export type Vals = V[] | null;

export interface Ctx {
  pkt: Packet;
  /** items of each needed field, by slot (empty: the field is absent) */
  items: Item[][];
  /** layer number of each collected item, by slot (filled only when a filter uses layers) */
  layers: number[][];
  /** number of instances of each protocol in the frame (only when layers are used) */
  protoCount: Map<string, number> | undefined;
}

export type Ev = (c: Ctx) => Vals;
export type Pred = (c: Ctx) => boolean;

/**
 * A test reduced to single values of plain fields, so it can run straight over typed arrays (the frame
 * index) without a packet: `values` passes when some value (every value, with `all`) of the field passes
 * `test`, which takes the value as the index holds it; an absent field fails it.
 */
export type Plan =
  | { k: 'and' | 'or'; a: Plan; b: Plan }
  | { k: 'not'; a: Plan }
  | { k: 'exists'; f: FieldDef }
  | { k: 'values'; f: FieldDef; test: (v: number | Uint8Array) => boolean; all: boolean };

const PLANS = new WeakMap<Pred, Plan>();
/** The plan of a compiled test, when it has one. */
export function planOf(p: Pred): Plan | undefined {
  return PLANS.get(p);
}
function withPlan(p: Pred, plan: Plan | undefined): Pred {
  if (plan) PLANS.set(p, plan);
  return p;
}
/** A packet and an item to read one raw value through a field's value function (plans have no packet). */
const NO_PKT = { items: [], sources: [] } as unknown as Packet;
const ONE_ITEM: Item = { f: undefined as unknown as FieldDef, v: undefined, src: 0, start: 0, len: 0, text: undefined, flags: 0, children: null };
function rawValue(d: NonNullable<Typed['direct']>, v: number | Uint8Array): V | undefined {
  ONE_ITEM.v = v;
  return d.value(NO_PKT, ONE_ITEM);
}
/** a constant-only operand's values (plans evaluate them once) */
const NO_CTX = { pkt: NO_PKT, items: [], layers: [], protoCount: undefined } as Ctx;

/** A checked operand: how to get its values and what they are. */
interface Typed {
  ev: Ev;
  t: VType;
  /** text for messages: the field abbrev, literal text, … */
  desc: string;
  span: Span;
  src: 'field' | 'slice' | 'func' | 'arith' | 'const' | 'ref';
  field?: FieldDef;
  func?: { name: string; span: Span };
  /** a negated integer constant (never equal/ordered against an unsigned field, as in tshark) */
  negConst?: boolean;
  /** CIDR/prefix bits of an address constant */
  maskBits?: number;
  /** the constant's values, when src === 'const' */
  consts?: V[];
  /** a plain field (no layer): where its items are and how to read one (fast paths) */
  direct?: { slot: number; value: (pkt: Packet, it: Item) => V | undefined };
}

export interface CompileState {
  /** field id → slot */
  slotOf: Map<number, number>;
  fields: FieldDef[];
  usesLayers: boolean;
  warnings: string[];
  /** ids of fields whose values (not just presence) the filter reads */
  valued?: Set<number>;
}

// ------------------------------------------------------------------ value helpers

function itemBytes(pkt: Packet, it: Item): Uint8Array {
  const src = pkt.sources[it.src];
  if (!src) return new Uint8Array(0);
  return src.bytes.subarray(it.start, it.start + it.len);
}

function itemValueOf(pkt: Packet, it: Item, t: FieldDef['type']): V | undefined {
  if (t === 'protocol') return itemBytes(pkt, it);
  const v = it.v;
  if (v === undefined) {
    if (t === 'bytes' || t === 'ether' || t === 'ipv6') return itemBytes(pkt, it);
    return undefined;
  }
  // relative times come as seconds or as exact {s, ns} durations: filters work in seconds
  if (t === 'time_rel' && typeof v === 'object' && !(v instanceof Uint8Array)) return v.s + v.ns / 1e9;
  return v as V;
}

const EMPTY = new Uint8Array(0);

/**
 * The bytes "contains"/"matches" search in a protocol: like Wireshark, the protocol's whole data
 * (its header and what it carries), i.e. up to the end of the closest protocol item enclosing it.
 */
function protocolExtent(pkt: Packet, it: Item): Uint8Array {
  const src = pkt.sources[it.src];
  if (!src) return EMPTY;
  const start = it.start;
  const itEnd = start + it.len;
  if (start === 0 && itEnd >= src.bytes.length) return src.bytes;
  let end = Infinity;
  const walk = (list: Item[]) => {
    for (const x of list) {
      if (x.f.type === 'protocol' && x.src === it.src && x !== it) {
        const xe = x.start + x.len;
        if (x.start <= start && xe > itEnd && xe < end) end = xe;
      }
      if (x.children) walk(x.children);
    }
  };
  walk(pkt.items);
  if (end === Infinity) end = itEnd;
  return src.bytes.subarray(start, Math.min(end, src.bytes.length));
}

/** A value as bytes (for slices and byte comparisons). */
function toBytes(v: V, t: VType): Uint8Array {
  switch (t.type) {
    case 'string':
      return jsStringToBytes(v as string);
    case 'ipv4': {
      const n = v as number;
      return Uint8Array.of((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
    }
    default:
      return v instanceof Uint8Array ? v : EMPTY;
  }
}

function bytesCmp(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d) return d;
  }
  return a.length - b.length;
}

function bytesContains(hay: Uint8Array, needle: Uint8Array): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const first = needle[0]!;
  const last = hay.length - n;
  outer: for (let i = 0; i <= last; i++) {
    if (hay[i] !== first) continue;
    for (let j = 1; j < n; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** Apply slice ranges to a byte value; pieces out of range contribute nothing. */
function applyRanges(v: Uint8Array, ranges: RangeNode[]): Uint8Array {
  const L = v.length;
  const pieces: Uint8Array[] = [];
  for (const r of ranges) {
    let s = r.start < 0 ? L + r.start : r.start;
    let e: number; // exclusive
    if (r.kind === 'len') e = s + r.len;
    else if (r.kind === 'end') e = (r.end < 0 ? L + r.end : r.end) + 1;
    else e = L;
    if (s < 0 || s >= L || e > L || e <= s) continue;
    pieces.push(v.subarray(s, e));
  }
  if (pieces.length === 1) return pieces[0]!;
  if (pieces.length === 0) return EMPTY;
  let n = 0;
  for (const p of pieces) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function inLayers(layer: number, total: number, ranges: RangeNode[]): boolean {
  for (const r of ranges) {
    const s = r.start < 0 ? total + r.start + 1 : r.start;
    if (r.kind === 'len') {
      if (layer >= s && layer < s + r.len) return true;
    } else if (r.kind === 'end') {
      const e = r.end < 0 ? total + r.end + 1 : r.end;
      if (layer >= s && layer <= e) return true;
    } else if (layer >= s) return true;
  }
  return false;
}

function isZero(v: V): boolean {
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'string') return v.length === 0;
  if (v instanceof Uint8Array) {
    for (let i = 0; i < v.length; i++) if (v[i]) return false;
    return true;
  }
  return v.s === 0 && v.ns === 0;
}

function bitAnd(a: number, b: number): number {
  if (a >= 0 && b >= 0 && a <= 0xffffffff && b <= 0xffffffff) return (a & b) >>> 0;
  return Number(BigInt.asUintN(64, BigInt(Math.trunc(a))) & BigInt.asUintN(64, BigInt(Math.trunc(b))));
}

// ------------------------------------------------------------------ the compiler

const CMP_TEXT: Record<CmpOp, 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'> = {
  any_eq: 'eq',
  all_eq: 'eq',
  all_ne: 'ne',
  any_ne: 'ne',
  gt: 'gt',
  ge: 'ge',
  lt: 'lt',
  le: 'le',
};

type Cmp = (a: V, b: V) => number;

function isLiteralEntity(e: Arith): boolean {
  return e.k === 'string' || e.k === 'charconst' || e.k === 'literal' || (e.k === 'unparsed' && !getField(e.text));
}

/** Where tshark locates an operand: an operator for arithmetic, the name for a function call. */
function arithLocation(a: Arith): Span {
  if (a.k === 'arith') return { start: a.opStart, end: a.opStart + a.opText.length };
  if (a.k === 'neg') return { start: a.start, end: a.start + 1 };
  if (a.k === 'func') return { start: a.start, end: a.nameEnd };
  return a;
}

/** tshark's text for an entity in messages. */
function entityText(e: Arith, src: string): string {
  if (e.k === 'unparsed') return e.text;
  if (e.k === 'field') return e.name;
  if (e.k === 'string' || e.k === 'charconst' || e.k === 'literal') return e.raw;
  return src.slice(e.start, e.end);
}

export class Compiler {
  constructor(
    private readonly text: string,
    readonly st: CompileState,
  ) {}

  private slot(f: FieldDef): number {
    let s = this.st.slotOf.get(f.id);
    if (s === undefined) {
      s = this.st.slotOf.size;
      this.st.slotOf.set(f.id, s);
      this.st.fields.push(f);
    }
    return s;
  }

  // ---------------------------------------------------------------- tests

  test(t: Test): Pred {
    switch (t.k) {
      case 'and': {
        const a = this.test(t.a);
        const b = this.test(t.b);
        const pa = planOf(a), pb = planOf(b);
        return withPlan((c) => a(c) && b(c), pa && pb && { k: 'and', a: pa, b: pb });
      }
      case 'or': {
        const a = this.test(t.a);
        const b = this.test(t.b);
        const pa = planOf(a), pb = planOf(b);
        return withPlan((c) => a(c) || b(c), pa && pb && { k: 'or', a: pa, b: pb });
      }
      case 'not': {
        const a = this.test(t.a);
        const pa = planOf(a);
        return withPlan((c) => !a(c), pa && { k: 'not', a: pa });
      }
      case 'bare':
        return this.bare(t.a);
      case 'cmp':
        return this.comparison(t);
      case 'contains':
      case 'matches':
        return this.searchTest(t);
      case 'in':
        return this.inTest(t);
    }
  }

  /** A bare operand as a test: a field's existence, else "some value is not zero". */
  private bare(a: Arith): Pred {
    switch (a.k) {
      case 'unparsed': {
        const f = getField(a.text);
        if (!f) fail(`${a.text} is neither a field nor a protocol name.`, a.start, a.end);
        return this.exists(f, undefined);
      }
      case 'field': {
        const f = this.resolveField(a);
        return this.exists(f, a.layers);
      }
      case 'string':
      case 'charconst':
      case 'literal':
        return fail(`${a.raw} is neither a field nor a protocol name.`, a.start, a.end);
      case 'func':
        return fail('You cannot test whether a function is present.', a.start, a.nameEnd);
      case 'ref': {
        const f = getField(a.name);
        const nameStart = a.start + 2;
        return fail(
          `${a.name} <${f ? ftName(vtypeOf(f)) : 'FT_NONE'}> is neither a field nor a protocol name.`,
          nameStart,
          nameStart + a.name.length,
        );
      }
      default: {
        const x = this.lhsOperand(a, '');
        const ev = x.ev;
        // a slice tests that it has bytes; arithmetic that some result is not zero
        const zero = a.k === 'slice' ? (v: V) => (v as Uint8Array).length === 0 : isZero;
        return (c) => {
          const vs = ev(c);
          if (!vs) return false;
          for (const v of vs) if (!zero(v)) return true;
          return false;
        };
      }
    }
  }

  private exists(f: FieldDef, layers: RangeNode[] | undefined): Pred {
    const slot = this.slot(f);
    if (!layers) return withPlan((c) => c.items[slot]!.length > 0, { k: 'exists', f });
    this.st.usesLayers = true;
    const proto = f.proto;
    return (c) => {
      const ls = c.layers[slot]!;
      if (ls.length === 0) return false;
      const total = c.protoCount?.get(proto) ?? 0;
      for (const l of ls) if (inLayers(l, total, layers)) return true;
      return false;
    };
  }

  private resolveField(e: Extract<Entity, { k: 'field' }>): FieldDef {
    const f = getField(e.name);
    if (!f) {
      if (e.explicit) fail(`"${e.name}" is not a valid protocol or protocol field.`, e.start, e.end);
      fail(`${e.name} is not a valid field`, e.start, e.start + e.name.length);
    }
    return f;
  }

  // ---------------------------------------------------------------- operands

  /** Values of a field (all occurrences, or those at the given layers). */
  private fieldOperand(f: FieldDef, layers: RangeNode[] | undefined, span: Span, desc: string, extent = false): Typed {
    const slot = this.slot(f);
    (this.st.valued ??= new Set()).add(f.id);
    const type = f.type;
    const itemValue = extent && type === 'protocol' ? (pkt: Packet, it: Item) => protocolExtent(pkt, it) : itemValueOf;
    let ev: Ev;
    if (layers) {
      this.st.usesLayers = true;
      const proto = f.proto;
      ev = (c) => {
        const its = c.items[slot]!;
        const ls = c.layers[slot]!;
        if (its.length === 0) return null;
        const total = c.protoCount?.get(proto) ?? 0;
        const out: V[] = [];
        let found = false;
        for (let i = 0; i < its.length; i++) {
          if (!inLayers(ls[i]!, total, layers)) continue;
          found = true;
          const v = itemValue(c.pkt, its[i]!, type);
          if (v !== undefined) out.push(v);
        }
        return found ? out : null;
      };
    } else {
      ev = (c) => {
        const its = c.items[slot]!;
        if (its.length === 0) return null;
        if (its.length === 1) {
          const v = itemValue(c.pkt, its[0]!, type);
          return v === undefined ? [] : [v];
        }
        const out: V[] = [];
        for (const it of its) {
          const v = itemValue(c.pkt, it, type);
          if (v !== undefined) out.push(v);
        }
        return out;
      };
    }
    const direct = layers ? undefined : { slot, value: (pkt: Packet, it: Item) => itemValue(pkt, it, type) };
    return { ev, t: vtypeOf(f), desc, span, src: 'field', field: f, direct };
  }

  /**
   * The left side of a relation (or a bare arithmetic test): a field, slice, function or arithmetic
   * expression; a literal there is an error.
   */
  private lhsOperand(a: Arith, opText: string, opQuoted = true): Typed {
    switch (a.k) {
      case 'unparsed': {
        const f = getField(a.text);
        if (!f) this.leftSideError(opText, a.text, a, opQuoted);
        return this.fieldOperand(f, undefined, a, a.text);
      }
      case 'string':
      case 'charconst':
      case 'literal':
        return this.leftSideError(opText, a.raw, a, opQuoted);
      case 'field':
        return this.fieldOperand(this.resolveField(a), a.layers, a, a.name);
      case 'ref':
        return this.refOperand(a);
      case 'slice':
        return this.slice(a);
      case 'func':
        return this.func(a);
      case 'arith':
      case 'neg':
      case 'group':
        return this.arith(a, undefined);
    }
  }

  private leftSideError(opText: string, what: string, span: Span, quoted: boolean): never {
    const op = quoted ? `"${opText}"` : opText;
    fail(`Left side of ${op} expression must be a field or function, not ${what}.`, span.start, span.end);
  }

  private refOperand(a: Extract<Entity, { k: 'ref' }>): Typed {
    const f = getField(a.name);
    if (!f) fail(`macro '${a.name}' does not exist`);
    // there is no selected packet to read a reference from: it has no value
    return { ev: () => null, t: vtypeOf(f), desc: a.name, span: a, src: 'ref', field: f };
  }

  private slice(a: Extract<Entity, { k: 'slice' }>): Typed {
    const inner = a.of;
    let base: Typed;
    if (inner.k === 'unparsed' || inner.k === 'field') {
      const f = inner.k === 'unparsed' ? getField(inner.text) : this.resolveField(inner);
      if (!f) fail(`${inner.k === 'unparsed' ? inner.text : inner.name} is neither a field nor a protocol name.`, inner.start, inner.end);
      base = this.fieldOperand(f, inner.k === 'field' ? inner.layers : undefined, inner, f.abbrev);
      if (!canSlice(f.type))
        fail(`"${f.abbrev}" is a ${prettyName(base.t)} and cannot be sliced into a sequence of bytes.`, inner.start, inner.end);
    } else if (inner.k === 'slice') {
      base = this.slice(inner);
    } else if (inner.k === 'func') {
      base = this.func(inner);
      if (!canSlice(base.t.type))
        fail(
          `Return value of function "${inner.name}" is a ${prettyName(base.t)} and cannot be converted into a sequence of bytes.`,
          inner.start,
          inner.nameEnd,
        );
    } else if (inner.k === 'ref') {
      base = this.refOperand(inner);
    } else {
      fail(`Range is not supported for entity ${entityText(inner, this.text)}`, inner.start, inner.end);
    }
    const bev = base.ev;
    const bt = base.t;
    const ranges = a.ranges;
    const ev: Ev = (c) => {
      const vs = bev(c);
      if (!vs) return null;
      const out: V[] = new Array(vs.length);
      for (let i = 0; i < vs.length; i++) out[i] = applyRanges(toBytes(vs[i]!, bt), ranges);
      return out;
    };
    return { ev, t: BYTES_T, desc: this.text.slice(a.start, a.end), span: a, src: 'slice' };
  }

  // ---------------------------------------------------------------- functions

  private func(a: Extract<Entity, { k: 'func' }>): Typed {
    const nameSpan = { start: a.start, end: a.nameEnd };
    const def = FUNCS[a.name];
    if (!def) fail(`Function '${a.name}' does not exist`, nameSpan.start, nameSpan.end);
    if (a.args.length < def.min) fail(`Function ${a.name} needs at least ${def.min} arguments.`, nameSpan.start, nameSpan.end);
    if (a.args.length > def.max) fail(`Function ${a.name} can only accept ${def.max} arguments.`, nameSpan.start, nameSpan.end);
    const typed = def.check(this, a);
    typed.func = { name: a.name, span: nameSpan };
    typed.span = nameSpan;
    return typed;
  }

  /** A function argument that must be a plain field (len, count, string, lower, upper). */
  fieldArg(arg: Arith, fname: string, stringOnly: boolean): Typed {
    const msg = stringOnly
      ? `Only string type fields can be used as parameter for ${fname}()`
      : `Only fields can be used as parameter for ${fname}()`;
    let f: FieldDef | undefined;
    let layers: RangeNode[] | undefined;
    if (arg.k === 'unparsed') f = getField(arg.text);
    else if (arg.k === 'field') {
      f = this.resolveField(arg);
      layers = arg.layers;
    }
    if (!f) {
      const span = arithLocation(arg);
      fail(msg, span.start, span.end);
    }
    if (stringOnly && f.type !== 'string') fail(msg, arg.start, arg.end);
    return this.fieldOperand(f, layers, arg, f.abbrev);
  }

  /** An argument of max()/min(): field, function, arithmetic, or (after the first) a literal. */
  minMaxArg(arg: Arith, fname: string, first: Typed | undefined): Typed {
    if (arg.k === 'string' || arg.k === 'charconst' || arg.k === 'literal' || (arg.k === 'unparsed' && !getField(arg.text))) {
      if (!first || arg.k !== 'unparsed') fail(`Argument '${entityText(arg, this.text)}' is not valid for ${fname}()`, arg.start, arg.end);
      return this.rhsOperand(arg, first);
    }
    return this.lhsOperand(arg, '');
  }

  absArg(arg: Arith): Typed {
    if (arg.k === 'string' || arg.k === 'charconst' || arg.k === 'literal') fail(`Type STRING is not valid for abs`, arg.start, arg.end);
    if (arg.k === 'unparsed' && !getField(arg.text)) fail('Need a field or field-like value on the LHS.', arg.start, arg.end);
    const x = this.lhsOperand(arg, '');
    const ty = x.t.type;
    if (!(isIntegral(ty) || ty === 'float' || ty === 'time_rel'))
      fail(`'${x.desc}' is not a valid argument to 'abs'()`, arg.start, arg.end);
    return x;
  }

  // ---------------------------------------------------------------- right-hand operands

  /**
   * An operand compared with `lhs`: literals are parsed for lhs's type; fields, functions, slices and
   * arithmetic must be of a compatible type.
   */
  rhsOperand(b: Arith, lhs: Typed, negated = false): Typed {
    switch (b.k) {
      case 'unparsed': {
        const f = getField(b.text);
        if (f) return this.checkCompat(lhs, this.fieldOperand(f, undefined, b, b.text), b);
        return this.constant(this.unparsedValue(b.text, lhs, b, negated), lhs, b);
      }
      case 'literal': {
        const bytesLike = lhs.src === 'slice' || ['bytes', 'ether', 'protocol'].includes(lhs.t.type);
        return this.constant(this.unparsedValue(bytesLike ? b.text : b.raw, lhs, b), lhs, b);
      }
      case 'string':
        return this.constant(this.stringValue(b.bytes, lhs, b), lhs, b);
      case 'charconst':
        return this.constant(this.charValue(b.value, b.raw, lhs, b), lhs, b);
      case 'field':
        return this.checkCompat(lhs, this.fieldOperand(this.resolveField(b), b.layers, b, b.name), b);
      case 'ref':
        return this.checkCompat(lhs, this.refOperand(b), b);
      case 'slice':
        return this.checkCompat(lhs, this.slice(b), b);
      case 'func':
        return this.checkCompat(lhs, this.func(b), b);
      case 'arith':
      case 'neg':
      case 'group':
        return this.checkCompat(lhs, this.arith(b, lhs), b);
    }
  }

  private constant(v: { v: V; bits?: number; neg?: boolean }, lhs: Typed, span: Span): Typed {
    const consts = [v.v];
    return {
      ev: () => consts,
      t: lhs.src === 'slice' ? BYTES_T : lhs.t,
      desc: this.text.slice(span.start, span.end),
      span,
      src: 'const',
      consts,
      maskBits: v.bits,
      negConst: v.neg,
    };
  }

  /** The type literals are parsed as when compared with this operand. */
  private literalType(lhs: Typed): VType {
    return lhs.src === 'slice' ? BYTES_T : lhs.t;
  }

  private unparsedValue(text: string, lhs: Typed, span: Span, negated = false): { v: V; bits?: number } {
    const t = this.literalType(lhs);
    const f = lhs.src === 'field' ? lhs.field : undefined;
    const { start, end } = span;
    switch (t.type) {
      case 'uint':
      case 'int':
      case 'framenum':
        return { v: parseIntLiteral(text, t, f, start, end, negated) };
      case 'bool':
        return { v: parseBoolLiteral(text, f, start, end) };
      case 'float':
        return { v: parseFloatLiteral(text, start, end) };
      case 'time_rel':
        return { v: parseRelTime(text, start, end) };
      case 'time_abs':
        return { v: parseAbsTime(text, start, end) };
      case 'ipv4': {
        const r = parseIPv4Literal(text, start, end);
        return { v: r.addr, bits: r.bits };
      }
      case 'ipv6': {
        const r = parseIPv6Literal(text, start, end);
        return { v: r.addr, bits: r.bits };
      }
      case 'ether':
        return { v: parseEtherLiteral(text, start, end) };
      case 'bytes':
      case 'protocol':
        return { v: parseBytesLiteral(text, start, end) };
      case 'string':
        return { v: text };
      case 'none':
        return fail(`${lhs.desc} (type=Label) cannot participate in comparison.`, lhs.span.start, lhs.span.end);
    }
  }

  private stringValue(bytes: Uint8Array, lhs: Typed, span: Span): { v: V } {
    const t = this.literalType(lhs);
    const s = bytesToJsString(bytes);
    const f = lhs.src === 'field' ? lhs.field : undefined;
    switch (t.type) {
      case 'string':
        return { v: s };
      case 'bytes':
      case 'protocol':
        return { v: bytes };
      case 'time_abs':
        return { v: parseAbsTime(s, span.start, span.end) };
      case 'uint':
      case 'int':
      case 'framenum':
        return { v: intFromString(s, t, f, span.start, span.end) };
      case 'bool':
        return { v: boolFromName(s, f, span.start, span.end) };
      default:
        return fail(`${prettyName(t)} cannot be converted from a string ("${s}").`, span.start, span.end);
    }
  }

  private charValue(n: number, raw: string, lhs: Typed, span: Span): { v: V } {
    const t = this.literalType(lhs);
    switch (t.type) {
      case 'uint':
      case 'int':
      case 'framenum':
        return { v: n };
      case 'bool':
        return { v: n ? 1 : 0 };
      case 'bytes':
      case 'protocol':
        return { v: Uint8Array.of(n) };
      case 'string':
        return { v: String.fromCharCode(n) };
      default: {
        const printable = n >= 0x20 && n < 0x7f;
        const what = printable ? `Character constant ${raw} (0x${n.toString(16)})` : `Character constant 0x${n.toString(16)}`;
        return fail(`${what} cannot be converted to ${prettyName(t)}.`, span.start, span.end);
      }
    }
  }

  /** Check that `b` can be compared with `lhs`; slices make both sides byte strings. */
  private checkCompat(lhs: Typed, b: Typed, span: Span): Typed {
    if (lhs.src === 'slice' || b.src === 'slice') {
      // the other side must be convertible to bytes
      const other = lhs.src === 'slice' ? b : lhs;
      if (other.src !== 'slice' && !canSlice(other.t.type)) {
        if (other.src === 'func')
          fail(
            `Return value of function "${other.func!.name}" is a ${prettyName(other.t)} and cannot be converted into a sequence of bytes.`,
            other.func!.span.start,
            other.func!.span.end,
          );
        fail(`"${other.desc}" is a ${prettyName(other.t)} and cannot be converted into a sequence of bytes.`, other.span.start, other.span.end);
      }
      return b;
    }
    if (compatible(lhs.t.type, b.t.type)) return b;
    if (lhs.src === 'func' && b.src === 'func')
      fail(
        `Return values of function ${lhs.func!.name} (type=${prettyName(lhs.t)}) and function ${lhs.func!.name} (type=${prettyName(b.t)}) are not of compatible types.`,
        b.func!.span.start,
        b.func!.span.end,
      );
    if (b.src === 'func')
      fail(
        `${lhs.desc} (type=${prettyName(lhs.t)}) and return value of ${b.func!.name}() (type=${prettyName(b.t)}) are not of compatible types.`,
        b.func!.span.start,
        b.func!.span.end,
      );
    if (lhs.src === 'func' && b.field)
      fail(`Function ${b.field.name} and ${b.field.abbrev} are not of compatible types.`, span.start, span.end);
    fail(`${lhs.desc} and ${b.desc} are not of compatible types.`, span.start, span.end);
  }

  // ---------------------------------------------------------------- arithmetic

  /**
   * An arithmetic expression (or unary minus / braces). `expect` is the operand it is compared with
   * when it is on the right-hand side; on the left a leading constant is an error.
   */
  arith(a: Arith, expect: Typed | undefined): Typed {
    switch (a.k) {
      case 'group': {
        const x = this.arith(a.a, expect);
        return { ...x, span: a, desc: this.text.slice(a.start, a.end) };
      }
      case 'neg':
        return this.negate(a, expect);
      case 'arith':
        return this.binary(a, expect);
      default:
        if (isLiteralEntity(a)) {
          if (!expect) fail('Constant arithmetic expression on the LHS is invalid.', a.start, a.end);
          if (a.k === 'string' || a.k === 'charconst')
            fail(`${a.raw} is not a valid arithmetic operand.`, a.start, a.end);
          return this.rhsOperand(a, expect);
        }
        return expect ? this.rhsOperand(a, expect) : this.lhsOperand(a, '');
    }
  }

  private negate(a: Extract<Arith, { k: 'neg' }>, expect: Typed | undefined): Typed {
    const e = a.a;
    if (isLiteralEntity(e)) {
      if (!expect) fail('Constant arithmetic expression on the LHS is invalid.', e.start, e.end);
      if (e.k === 'string' || e.k === 'charconst') fail(`${e.raw} is not a valid arithmetic operand.`, e.start, e.end);
      const x = this.rhsOperand(e, expect, !a.plus);
      if (a.plus) return x;
      if (x.src === 'slice' || !canNegate(x.t.type)) fail(`${ftName(x.t)} cannot -.`, e.start, e.end);
      const v = -(x.consts![0] as number);
      const consts = [v];
      let t = x.t;
      if (x.t.type === 'uint' || x.t.type === 'framenum') t = { type: 'int', bits: 32 };
      return { ...x, ev: () => consts, consts, t, negConst: v < 0 && t !== x.t, span: a };
    }
    const x = expect ? this.rhsOperand(e, expect) : this.lhsOperand(e, '');
    if (a.plus) return x;
    if (x.src === 'slice' || !canNegate(x.t.type)) fail(`${ftName(x.t)} cannot -.`, e.start, e.end);
    const ev = x.ev;
    return {
      ev: (c) => {
        const vs = ev(c);
        if (!vs) return null;
        return vs.map((v) => -(v as number));
      },
      t: x.t.type === 'uint' ? { type: 'int', bits: x.t.bits } : x.t,
      desc: this.text.slice(a.start, a.end),
      span: a,
      src: 'arith',
    };
  }

  private binary(a: Extract<Arith, { k: 'arith' }>, expect: Typed | undefined): Typed {
    const op = a.op;
    const can = op === '&' ? canBitAnd : op === '+' || op === '-' ? canAddSub : op === '%' ? canModulo : canMulDiv;
    // the left operand decides the type; a constant first needs a type from the other side
    let left: Typed;
    if (a.a.k !== 'arith' && a.a.k !== 'neg' && a.a.k !== 'group' && isLiteralEntity(a.a)) {
      if (!expect) fail('Constant arithmetic expression on the LHS is invalid.', a.a.start, a.a.end);
      if (a.a.k === 'string' || a.a.k === 'charconst') fail(`${a.a.raw} is not a valid arithmetic operand.`, a.a.start, a.a.end);
      left = this.rhsOperand(a.a, expect);
    } else {
      left = this.arith(a.a, expect);
    }
    if (left.src === 'slice' && op !== '&') fail(`FT_BYTES cannot ${op}.`, a.a.start, a.a.end);
    if (!can(left.t.type)) fail(`${ftName(left.t)} cannot ${op}.`, left.span.start, left.span.end);
    let right: Typed;
    const b = a.b;
    if (b.k === 'string' || b.k === 'charconst') {
      fail(`${b.raw} is not a valid arithmetic operand.`, b.start, b.end);
    } else if (b.k === 'arith' || b.k === 'neg' || b.k === 'group') {
      right = this.arith(b, left);
    } else if (isLiteralEntity(b)) {
      right = this.rhsOperand(b, left);
    } else {
      right = this.lhsOperand(b, '');
      if (right.src === 'slice' && op !== '&') fail(`FT_BYTES cannot ${op}.`, b.start, b.end);
      if (!can(right.t.type)) fail(`${ftName(right.t)} cannot ${op}.`, b.start, b.end);
      if (!compatible(left.t.type, right.t.type) && !(left.src === 'slice' || right.src === 'slice'))
        fail(`${left.desc} and ${right.desc} are not type compatible.`, b.start, b.end);
    }
    const t = left.src === 'slice' ? BYTES_T : left.t;
    const kind = kindOf(t.type);
    const isInt = isIntegral(t.type);
    let fn: (x: V, y: V) => V | undefined;
    if (kind === 'bytes' || left.src === 'slice') {
      const lt = left.t;
      const rt = right.t;
      fn = (x, y) => {
        const p = toBytes(x, lt);
        const q = toBytes(y, rt);
        const n = Math.min(p.length, q.length);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) out[i] = p[i]! & q[i]!;
        return out;
      };
    } else if (kind === 'ipv4') {
      fn = (x, y) => bitAnd(x as number, y as number);
    } else {
      switch (op) {
        case '&':
          fn = (x, y) => bitAnd(x as number, y as number);
          break;
        case '+':
          fn = (x, y) => (x as number) + (y as number);
          break;
        case '-':
          fn = (x, y) => (x as number) - (y as number);
          break;
        case '*':
          fn = (x, y) => (x as number) * (y as number);
          break;
        case '/':
          fn = isInt
            ? (x, y) => ((y as number) === 0 ? undefined : Math.trunc((x as number) / (y as number)))
            : (x, y) => ((y as number) === 0 ? undefined : (x as number) / (y as number));
          break;
        case '%':
          fn = (x, y) => ((y as number) === 0 ? undefined : (x as number) % (y as number));
          break;
      }
    }
    const lev = left.ev;
    const rev = right!.ev;
    const ev: Ev = (c) => {
      const xs = lev(c);
      if (!xs) return null;
      const ys = rev(c);
      if (!ys) return null;
      const out: V[] = [];
      for (const x of xs)
        for (const y of ys) {
          const r = fn(x, y);
          if (r !== undefined) out.push(r);
        }
      return out;
    };
    return { ev, t, desc: this.text.slice(a.start, a.end), span: a, src: 'arith' };
  }

  // ---------------------------------------------------------------- relations

  private comparison(t: Extract<Test, { k: 'cmp' }>): Pred {
    const lhs = this.lhsOperand(t.a, t.opText);
    if (lhs.t.type === 'none')
      this.cannotParticipate(lhs, t.opText);
    const rhs = this.rhsOperand(t.b, lhs);
    const cmp = this.comparator(lhs, rhs);
    const base = CMP_TEXT[t.op];
    let pred: (a: V, b: V) => boolean;
    switch (base) {
      case 'eq':
        pred = (a, b) => cmp(a, b) === 0;
        break;
      case 'ne':
        pred = (a, b) => cmp(a, b) !== 0;
        break;
      case 'gt':
        pred = (a, b) => cmp(a, b) > 0;
        break;
      case 'ge':
        pred = (a, b) => cmp(a, b) >= 0;
        break;
      case 'lt':
        pred = (a, b) => cmp(a, b) < 0;
        break;
      case 'le':
        pred = (a, b) => cmp(a, b) <= 0;
        break;
    }
    const all = t.quant ? t.quant === 'all' : t.op === 'all_ne' || t.op === 'all_eq';
    if (lhs.direct && rhs.consts?.length === 1) {
      const d = lhs.direct;
      const k = rhs.consts[0]!;
      const test =
        numericTest(lhs, rhs, base, k) ??
        ((raw: number | Uint8Array) => {
          const v = rawValue(d, raw);
          return v !== undefined && pred(v, k);
        });
      return withPlan(directTest(d, k, pred, all), lhs.field && { k: 'values', f: lhs.field, test, all });
    }
    return pairTest(lhs.ev, rhs.ev, pred, all);
  }

  private cannotParticipate(lhs: Typed, opText: string): never {
    if (lhs.src === 'func')
      fail(
        `Function ${lhs.func!.name} (type=${prettyName(lhs.t)}) cannot participate in ${opText} comparison.`,
        lhs.func!.span.start,
        lhs.func!.span.end,
      );
    fail(`${lhs.desc} (type=${prettyName(lhs.t)}) cannot participate in ${opText} comparison.`, lhs.span.start, lhs.span.end);
  }

  /** How two values of these operands are ordered. */
  comparator(lhs: Typed, rhs: Typed): Cmp {
    if (lhs.src === 'slice' || rhs.src === 'slice') {
      const lt = lhs.t;
      const rt = rhs.t;
      return (a, b) => bytesCmp(toBytes(a, lt), toBytes(b, rt));
    }
    const kind = kindOf(lhs.t.type);
    switch (kind) {
      case 'num': {
        const unsignedField = lhs.src === 'field' && (lhs.t.type === 'uint' || lhs.t.type === 'framenum');
        if (unsignedField && rhs.negConst) return () => NaN;
        if (lhs.t.type === 'time_rel')
          return (a, b) => Math.round((a as number) * 1e9) - Math.round((b as number) * 1e9);
        return (a, b) => (a as number) - (b as number);
      }
      case 'ipv4': {
        const bits = Math.min(lhs.maskBits ?? 32, rhs.maskBits ?? 32);
        if (bits === 32) return (a, b) => (a as number) - (b as number);
        const m = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        return (a, b) => ((a as number) & m) - ((b as number) & m);
      }
      case 'ipv6': {
        const bits = Math.min(lhs.maskBits ?? 128, rhs.maskBits ?? 128);
        if (bits === 128) return (a, b) => bytesCmp(a as Uint8Array, b as Uint8Array);
        return (a, b) => {
          const x = a as Uint8Array;
          const y = b as Uint8Array;
          for (let i = 0; i < 16; i++) {
            const left = bits - i * 8;
            if (left <= 0) return 0;
            const m = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
            const d = (x[i]! & m) - (y[i]! & m);
            if (d) return d;
          }
          return 0;
        };
      }
      case 'bytes':
        return (a, b) => bytesCmp(a as Uint8Array, b as Uint8Array);
      case 'string':
        return (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
      case 'time':
        return (a, b) => (a as TimeValue).s - (b as TimeValue).s || (a as TimeValue).ns - (b as TimeValue).ns;
    }
  }

  private searchTest(t: Extract<Test, { k: 'contains' | 'matches' }>): Pred {
    let lhs = this.lhsOperand(t.a, t.opText, false);
    if (lhs.src === 'field' && lhs.t.type === 'protocol' && (t.a.k === 'unparsed' || t.a.k === 'field')) {
      // a protocol is searched with everything it carries
      lhs = this.fieldOperand(lhs.field!, t.a.k === 'field' ? t.a.layers : undefined, lhs.span, lhs.desc, true);
    }
    const ok = t.k === 'contains' ? canContains : canMatches;
    if (lhs.src !== 'slice' && !ok(lhs.t.type)) this.cannotParticipate(lhs, t.k);
    const all = t.quant === 'all';
    const lt = lhs.t;
    if (t.k === 'matches') {
      if (t.b.k !== 'string') fail('Matches requires a double quoted string on the right side.', t.b.start, t.b.end);
      let tr: ReturnType<typeof translatePcre>;
      try {
        tr = translatePcre(bytesToJsString(t.b.bytes));
      } catch (e) {
        // tshark gives no position for regex errors: point at the pattern
        if (e instanceof FilterSyntaxError) fail(e.message, t.b.start, t.b.end);
        throw e;
      }
      const { re, warnings } = tr;
      this.st.warnings.push(...warnings);
      const asText = lt.type === 'string' && lhs.src !== 'slice' ? (v: V) => v as string : (v: V) => latin1(toBytes(v, lt));
      const rhsEv: Ev = () => [0];
      return pairTest(lhs.ev, rhsEv, (a) => re.test(asText(a)), all);
    }
    // an address on the left still searches for a plain byte string
    const rhs = this.rhsOperand(t.b, lt.type === 'ether' ? { ...lhs, t: BYTES_T } : lhs);
    if (lt.type === 'string' && lhs.src !== 'slice' && rhs.src !== 'slice') {
      return pairTest(lhs.ev, rhs.ev, (a, b) => (a as string).includes(b as string), all);
    }
    const rt = rhs.t;
    return pairTest(lhs.ev, rhs.ev, (a, b) => bytesContains(toBytes(a, lt), toBytes(b, rt)), all);
  }

  private inTest(t: Extract<Test, { k: 'in' }>): Pred {
    const a = t.a;
    let lhs: Typed;
    if (a.k === 'field') lhs = this.fieldOperand(this.resolveField(a), a.layers, a, a.name);
    else if (a.k === 'unparsed' && getField(a.text)) lhs = this.fieldOperand(getField(a.text)!, undefined, a, a.text);
    else {
      const span = a.k === 'func' ? { start: a.start, end: a.nameEnd } : a;
      fail('Only a field may be tested for membership in a set.', span.start, span.end);
    }
    if (lhs.t.type === 'none') this.cannotParticipate(lhs, 'in');
    const elems = t.set.map((e) => this.setElem(e, lhs));
    const lev = lhs.ev;
    if (t.quant === 'all') {
      // as tshark expands it: (all a == e1) or (all a == e2) or …
      return (c) => {
        const vs = lev(c);
        if (!vs) return false;
        for (const e of elems) {
          let every = true;
          for (const v of vs) if (!e(c, v)) every = false;
          if (every) return true;
        }
        return false;
      };
    }
    const pred: Pred = (c) => {
      const vs = lev(c);
      if (!vs) return false;
      for (const v of vs) for (const e of elems) if (e(c, v)) return true;
      return false;
    };
    const d = lhs.direct;
    if (!d || !lhs.field || !t.set.every((e) => isConstElem(e))) return pred;
    const test = (raw: number | Uint8Array) => {
      const v = rawValue(d, raw);
      if (v === undefined) return false;
      for (const e of elems) if (e(NO_CTX, v)) return true;
      return false;
    };
    return withPlan(pred, { k: 'values', f: lhs.field, test, all: false });
  }

  private setElem(e: SetElem, lhs: Typed): (c: Ctx, v: V) => boolean {
    const one = (x: Arith): Typed => {
      if (x.k === 'slice') fail('A slice may not appear inside a set.', x.start, x.end);
      if (x.k === 'neg') return this.arith(x, lhs);
      return this.rhsOperand(x, lhs);
    };
    const low = one(e.low);
    const cmpLow = this.comparator(lhs, low);
    const lowEv = low.ev;
    if (!e.high) {
      return (c, v) => {
        const bs = lowEv(c);
        if (!bs) return false;
        for (const b of bs) if (cmpLow(v, b) === 0) return true;
        return false;
      };
    }
    const high = one(e.high);
    const cmpHigh = this.comparator(lhs, high);
    const highEv = high.ev;
    return (c, v) => {
      const ls = lowEv(c);
      const hs = highEv(c);
      if (!ls || !hs) return false;
      let geLow = false;
      for (const b of ls) if (cmpLow(v, b) >= 0) geLow = true;
      if (!geLow) return false;
      for (const b of hs) if (cmpHigh(v, b) <= 0) return true;
      return false;
    };
  }
}

/** A plain field against one constant, reading the items directly (the common case, kept fast). */
function directTest(d: NonNullable<Typed['direct']>, k: V, pred: (a: V, b: V) => boolean, all: boolean): Pred {
  const { slot, value } = d;
  if (all) {
    return (c) => {
      const its = c.items[slot]!;
      if (its.length === 0) return false;
      for (let i = 0; i < its.length; i++) {
        const v = value(c.pkt, its[i]!);
        if (v !== undefined && !pred(v, k)) return false;
      }
      return true;
    };
  }
  return (c) => {
    const its = c.items[slot]!;
    for (let i = 0; i < its.length; i++) {
      const v = value(c.pkt, its[i]!);
      if (v !== undefined && pred(v, k)) return true;
    }
    return false;
  };
}

/**
 * A plan's value test as one numeric comparison, for numbers and IPv4 addresses held as such (the common
 * filters: ports, flags, lengths, addresses and subnets); null when the general comparator is needed.
 */
function numericTest(lhs: Typed, rhs: Typed, op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le', k: V): ((v: number | Uint8Array) => boolean) | null {
  if (typeof k !== 'number' || lhs.src !== 'field' || rhs.src !== 'const') return null;
  const kind = kindOf(lhs.t.type);
  if (kind === 'num') {
    // unsigned fields against negative constants, and relative times, go through the comparator
    if (lhs.t.type === 'time_rel' || rhs.negConst) return null;
    switch (op) {
      case 'eq':
        return (v) => v === k;
      case 'ne':
        return (v) => v !== k;
      case 'gt':
        return (v) => (v as number) > k;
      case 'ge':
        return (v) => (v as number) >= k;
      case 'lt':
        return (v) => (v as number) < k;
      case 'le':
        return (v) => (v as number) <= k;
    }
  }
  if (kind === 'ipv4' && (op === 'eq' || op === 'ne')) {
    const bits = Math.min(lhs.maskBits ?? 32, rhs.maskBits ?? 32);
    const m = bits === 0 ? 0 : bits === 32 ? -1 : 0xffffffff << (32 - bits);
    const km = k & m;
    return op === 'eq' ? (v) => ((v as number) & m) === km : (v) => ((v as number) & m) !== km;
  }
  return null;
}

/** A set element made of literals only (its values need no packet). */
function isConstElem(e: SetElem): boolean {
  const lit = (x: Arith) => isLiteralEntity(x) || (x.k === 'neg' && isLiteralEntity(x.a));
  return lit(e.low) && (!e.high || lit(e.high));
}

/** any/all over the pairs of two operands' values; an absent operand makes the test false. */
function pairTest(lev: Ev, rev: Ev, pred: (a: V, b: V) => boolean, all: boolean): Pred {
  if (all) {
    return (c) => {
      const as = lev(c);
      if (!as) return false;
      const bs = rev(c);
      if (!bs) return false;
      for (const a of as) for (const b of bs) if (!pred(a, b)) return false;
      return true;
    };
  }
  return (c) => {
    const as = lev(c);
    if (!as || as.length === 0) return false;
    const bs = rev(c);
    if (!bs) return false;
    for (const a of as) for (const b of bs) if (pred(a, b)) return true;
    return false;
  };
}

// ------------------------------------------------------------------ functions

interface FuncDef {
  min: number;
  max: number;
  check(c: Compiler, a: Extract<Entity, { k: 'func' }>): Typed;
}

function mapped(x: Typed, t: VType, f: (v: V) => V): Typed {
  const ev = x.ev;
  return {
    ev: (c) => {
      const vs = ev(c);
      if (!vs || vs.length === 0) return null;
      return vs.map(f);
    },
    t,
    desc: x.desc,
    span: x.span,
    src: 'func',
  };
}

function valueLength(v: V, t: VType): number {
  switch (t.type) {
    case 'uint':
    case 'int':
      return intBytes(t.bits);
    case 'framenum':
      return 4;
    case 'bool':
      return 1;
    case 'float':
    case 'time_rel':
    case 'time_abs':
      return 8;
    case 'ipv4':
      return 4;
    case 'string':
      return jsStringToBytes(v as string).length;
    default:
      return v instanceof Uint8Array ? v.length : 0;
  }
}

function valueString(v: V, t: VType): string {
  switch (t.type) {
    case 'ipv4':
      return ipv4ToString(v as number);
    case 'ipv6':
      return ipv6ToString(v as Uint8Array);
    case 'ether':
      return etherToString(v as Uint8Array);
    default:
      return String(v);
  }
}

/** Wireshark changes the case of ASCII letters only. */
function asciiCase(s: string, upper: boolean): string {
  return upper ? s.replace(/[a-z]+/g, (m) => m.toUpperCase()) : s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

function minMax(name: 'max' | 'min'): FuncDef {
  return {
    min: 1,
    max: Infinity,
    check(c, a) {
      const args: Typed[] = [];
      for (const arg of a.args) {
        const x = c.minMaxArg(arg, name, args[0]);
        if (args[0] && ftName(x.t) !== ftName(args[0].t))
          fail(
            `Arguments to '${name}' must have the same type (expected ${ftName(args[0].t)}, got ${ftName(x.t)})`,
            arg.start,
            arg.end,
          );
        args.push(x);
      }
      const t = args[0]!.t;
      const probe: Typed = { ...args[0]!, src: 'func' };
      const cmp = c.comparator(probe, probe);
      const evs = args.map((x) => x.ev);
      const sign = name === 'max' ? 1 : -1;
      return {
        ev: (ctx) => {
          let best: V | undefined;
          for (const ev of evs) {
            const vs = ev(ctx);
            if (!vs) continue;
            for (const v of vs) if (best === undefined || cmp(v, best) * sign > 0) best = v;
          }
          return best === undefined ? null : [best];
        },
        t,
        desc: name,
        span: a,
        src: 'func',
      };
    },
  };
}

const FUNCS: Record<string, FuncDef> = {
  len: {
    min: 1,
    max: 1,
    check(c, a) {
      const x = c.fieldArg(a.args[0]!, 'len', false);
      const t = x.t;
      return mapped(x, UINT32_T, (v) => valueLength(v, t));
    },
  },
  count: {
    min: 1,
    max: 1,
    check(c, a) {
      const x = c.fieldArg(a.args[0]!, 'count', false);
      const ev = x.ev;
      return {
        ev: (ctx) => {
          const vs = ev(ctx);
          return vs && vs.length ? [vs.length] : null;
        },
        t: UINT32_T,
        desc: 'count',
        span: a,
        src: 'func',
      };
    },
  },
  lower: {
    min: 1,
    max: 1,
    check(c, a) {
      return mapped(c.fieldArg(a.args[0]!, 'lower', true), STRING_T, (v) => asciiCase(v as string, false));
    },
  },
  upper: {
    min: 1,
    max: 1,
    check(c, a) {
      return mapped(c.fieldArg(a.args[0]!, 'upper', true), STRING_T, (v) => asciiCase(v as string, true));
    },
  },
  string: {
    min: 1,
    max: 1,
    check(c, a) {
      const x = c.fieldArg(a.args[0]!, 'string', false);
      if (!canStringify(x.t.type)) fail(`String conversion for field "${x.desc}" is not supported`, x.span.start, x.span.end);
      const t = x.t;
      return mapped(x, STRING_T, (v) => valueString(v, t));
    },
  },
  max: minMax('max'),
  min: minMax('min'),
  abs: {
    min: 1,
    max: 1,
    check(c, a) {
      const x = c.absArg(a.args[0]!);
      return mapped(x, x.t, (v) => Math.abs(v as number));
    },
  },
};
