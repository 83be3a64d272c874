// Display filters with Wireshark 4.0 syntax and semantics: compile once, then test dissected packets.
//
//   const r = compileFilter('tcp.port in {80, 443} && !(tcp.len == 0)');
//   if (r.ok) packets.filter((p) => r.filter.match(p));
//   else show(r.error.message, r.error.start, r.error.end);
//
// Errors carry tshark's message text. The compiled filter reads only the fields it names: `fields`
// lists them, and `match` walks a packet's tree once to collect just those items.
//
// Semantics follow tshark 4.0 (each checked against it):
// - a field with several occurrences: == > < >= <= contains matches in are "any occurrence";
//   != (ne, all_ne) is "every occurrence differs", === (all_eq) "all equal", !== / ~= (any_ne)
//   "some occurrence differs"; `any`/`all` before a relation choose explicitly. A field that is
//   absent makes any relation on it false (so `a != 1` is false without `a`, unlike `!(a == 1)`).
// - precedence: not > and > or (&& || ! as synonyms); no xor in 4.0. Arithmetic + - * / % and
//   bitwise & work on integers (+ - also on relative times, * / on floats), { } groups them;
//   a bare expression is a test: a field or protocol exists, a slice has bytes, a value is not 0.
// - literals are parsed for the type of the other side: integers (dec, 0x, 0 octal, 0b, 'c'),
//   value names of the field ("TCP"), True/False and the field's true/false strings, IPv4 with
//   /CIDR, IPv6 with /prefix, MACs with : - . or none, byte strings, "strings" with C escapes,
//   r"raw strings", times ("2024-01-31 12:00:00", "Jan 31, 2024 12:00:00" — local unless Z/UTC).
// - slices [i:j] [i-j] [i] [:j] [i:] [-n:] and lists [a,b:c]; pieces out of range give nothing.
//   Layers: ip.src#2, ip.src#[1-2].
// - functions len count lower upper string max min abs; `matches` is PCRE translated to RegExp
//   (case-insensitive unless (?-i); see regex.ts for what cannot be expressed).
// - `${field}` references have no value (there is no selected packet), as in tshark.
import { allFields, type FieldDef } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import { Compiler, planOf, type CompileState, type Ctx, type Plan, type Pred } from './compile';
export type { Plan } from './compile';
import { FilterSyntaxError, NO_POS, type FilterError } from './errors';
import { Lexer } from './lexer';
import { parseFilter } from './parser';
import { lookupField as getField, withAliasWarnings } from './names';

export type { FilterError } from './errors';

export interface CompiledFilter {
  text: string;
  /** the fields (by id) the filter reads: evaluation only needs these (plus protocols) */
  fields: FieldDef[];
  warnings: string[];
  /** ids of the fields whose values are read (the others in `fields` are only tested for presence) */
  valued: ReadonlySet<number>;
  /** the filter uses layer operators (tcp.port#2) */
  usesLayers: boolean;
  /** test one dissected packet */
  match(pkt: Packet): boolean;
  /** the same test over single field values, when the filter reduces to that (see Plan) */
  plan?: Plan;
}

export type CompileResult = { ok: true; filter: CompiledFilter } | { ok: false; error: FilterError };

const cache = new Map<string, CompileResult>();
let cachedFieldCount = -1;

/** Compile a display filter. Empty or blank text matches every packet. Results are memoized per text. */
export function compileFilter(text: string): CompileResult {
  // fields registered since (dissector modules loading) can change how names resolve
  const n = allFields().length;
  if (n !== cachedFieldCount) {
    cache.clear();
    cachedFieldCount = n;
  }
  let r = cache.get(text);
  if (!r) {
    r = compileUncached(text);
    if (cache.size > 200) cache.clear();
    cache.set(text, r);
  }
  return r;
}

function compileUncached(text: string): CompileResult {
  try {
    const { value, warnings } = withAliasWarnings(() => build(text));
    if (warnings.length) value.warnings.push(...warnings);
    return { ok: true, filter: value };
  } catch (e) {
    if (e instanceof FilterSyntaxError) {
      const start = e.start === NO_POS ? text.length : e.start;
      const end = e.end === NO_POS ? text.length : e.end;
      return { ok: false, error: { message: e.message, start, end } };
    }
    return { ok: false, error: { message: `Internal error: ${e instanceof Error ? e.message : String(e)}`, start: 0, end: text.length } };
  }
}

/**
 * Display-filter macros, as Wireshark ships them: ${private_ipv4:ip.src} and so on. `$1`… are the
 * arguments (separated by ';' after the ':').
 */
const MACROS: Readonly<Record<string, string>> = {
  // RFC 1918 networks
  private_ipv4: '$1 == 192.168.0.0/16 or $1 == 172.16.0.0/12 or $1 == 10.0.0.0/8',
  // locally administered unicast MAC addresses
  private_ethernet: '$1[0] & 0x0F == 2',
  // unique local IPv6 addresses
  private_ipv6: 'ipv6 && $1 == fc00::/7',
};

interface Expanded {
  text: string;
  /** a span of the expanded text → the span of the original it came from (a whole macro call) */
  orig: (start: number, end: number) => [number, number];
}

/**
 * Expand `${macro:args}` before anything else, as tshark does. `${field}` stays: it is a field
 * reference. Errors point at the macro (tshark shows no position for them).
 */
function expandMacros(text: string): Expanded {
  if (!text.includes('${')) return { text, orig: (s, e) => [s, e] };
  let out = '';
  const spans: { at: number; len: number; from: number; to: number }[] = [];
  let inString = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') {
        out += text.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (c === '"') inString = false;
      out += c;
      i++;
      continue;
    }
    if (c === '"') inString = true;
    if (c !== '$' || text[i + 1] !== '{') {
      out += c;
      i++;
      continue;
    }
    const close = text.indexOf('}', i + 2);
    if (close < 0) throw new FilterSyntaxError('end of filter in the middle of a macro expression', i, text.length);
    const inner = text.slice(i + 2, close);
    const colon = inner.indexOf(':');
    if (colon < 0 && getField(inner)) {
      // a field reference
      out += text.slice(i, close + 1);
      i = close + 1;
      continue;
    }
    const name = colon < 0 ? inner : inner.slice(0, colon);
    const args = colon < 0 ? [] : inner.slice(colon + 1).split(';');
    const body = MACROS[name];
    if (body === undefined) throw new FilterSyntaxError(`macro '${name}' does not exist`, i, close + 1);
    let want = 0;
    for (const m of body.matchAll(/\$(\d+)/g)) want = Math.max(want, Number(m[1]));
    if (args.length !== want)
      throw new FilterSyntaxError(
        `wrong number of arguments for macro '${name}', expecting ${want} instead of ${args.length}`,
        i,
        close + 1,
      );
    const expansion = body.replace(/\$(\d+)/g, (_, n: string) => args[Number(n) - 1] ?? '');
    spans.push({ at: out.length, len: expansion.length, from: i, to: close + 1 });
    out += expansion;
    i = close + 1;
  }
  const map = (pos: number, isEnd: boolean): number => {
    let shift = 0;
    for (const sp of spans) {
      if (pos < sp.at || (isEnd && pos === sp.at)) break;
      if (pos < sp.at + sp.len || (isEnd && pos === sp.at + sp.len)) return isEnd ? sp.to : sp.from;
      shift += sp.to - sp.from - sp.len;
    }
    return pos + shift;
  };
  const orig = (start: number, end: number): [number, number] => [map(start, false), Math.max(map(start, false), map(end, true))];
  return { text: out, orig };
}

function build(original: string): CompiledFilter {
  if (original.trim() === '') return { text: original, fields: [], warnings: [], valued: new Set(), usesLayers: false, match: () => true };
  const { text, orig } = expandMacros(original);
  const lexer = new Lexer(text, (name) => getField(name) !== undefined);
  let pred: Pred;
  const st: CompileState = { slotOf: new Map(), fields: [], usesLayers: false, warnings: [] };
  try {
    const ast = parseFilter(lexer);
    pred = ast ? new Compiler(text, st).test(ast) : () => true;
  } catch (e) {
    // positions inside a macro's expansion point at the macro
    if (e instanceof FilterSyntaxError && text !== original) {
      if (e.start === NO_POS) throw e;
      const [start, end] = orig(e.start, e.end);
      throw new FilterSyntaxError(e.message, start, end);
    }
    throw e;
  }
  const warnings = [...new Set([...lexer.warnings, ...st.warnings])];
  return {
    text: original,
    fields: st.fields,
    warnings,
    valued: st.valued ?? new Set(),
    usesLayers: st.usesLayers,
    match: makeMatcher(pred, st),
    plan: st.usesLayers ? undefined : planOf(pred),
  };
}

function makeMatcher(pred: Pred, st: CompileState): (pkt: Packet) => boolean {
  const nSlots = st.slotOf.size;
  let maxId = -1;
  for (const id of st.slotOf.keys()) if (id > maxId) maxId = id;
  const slotOf = new Int32Array(maxId + 1).fill(-1);
  for (const [id, s] of st.slotOf) slotOf[id] = s;
  const usesLayers = st.usesLayers;

  // per-slot lists, reused from packet to packet
  const items: Item[][] = Array.from({ length: nSlots }, () => []);
  const layers: number[][] = Array.from({ length: nSlots }, () => []);

  const collect = (list: Item[]): void => {
    for (let i = 0; i < list.length; i++) {
      const it = list[i]!;
      const id = it.f.id;
      if (id <= maxId) {
        const s = slotOf[id]!;
        if (s >= 0) items[s]!.push(it);
      }
      if (it.children) collect(it.children);
    }
  };

  // with layer operators: number each protocol instance, and give fields the layer they sit in
  let protoCount = new Map<string, number>();
  let current = new Map<string, number>();
  const collectLayers = (list: Item[]): void => {
    for (let i = 0; i < list.length; i++) {
      const it = list[i]!;
      const f = it.f;
      let saved: number | undefined;
      let isProto = false;
      if (f.type === 'protocol') {
        isProto = true;
        const n = (protoCount.get(f.abbrev) ?? 0) + 1;
        protoCount.set(f.abbrev, n);
        saved = current.get(f.abbrev);
        current.set(f.abbrev, n);
      }
      const id = f.id;
      if (id <= maxId) {
        const s = slotOf[id]!;
        if (s >= 0) {
          items[s]!.push(it);
          layers[s]!.push(current.get(f.proto) ?? protoCount.get(f.proto) ?? 0);
        }
      }
      if (it.children) collectLayers(it.children);
      if (isProto) {
        if (saved === undefined) current.delete(f.abbrev);
        else current.set(f.abbrev, saved);
      }
    }
  };

  return (pkt: Packet): boolean => {
    try {
      for (let i = 0; i < nSlots; i++) {
        if (items[i]!.length) items[i]!.length = 0;
        if (layers[i]!.length) layers[i]!.length = 0;
      }
      let counts: Map<string, number> | undefined;
      if (usesLayers) {
        protoCount = new Map();
        current = new Map();
        collectLayers(pkt.items);
        counts = protoCount;
      } else if (nSlots) {
        collect(pkt.items);
      }
      const ctx: Ctx = { pkt, items, layers, protoCount: counts };
      return pred(ctx);
    } catch {
      return false;
    }
  };
}
