// Display filters with Wireshark 4.0 syntax and semantics: compile once, then test dissected packets.
//
//   const r = compileFilter('tcp.port in {80, 443} && !(tcp.len == 0)');
//   if (r.ok) packets.filter((p) => r.filter.match(p));
//   else show(r.error.message, r.error.start, r.error.end);
//
// Errors carry tshark's message text. The compiled filter reads only the fields it names: `fields`
// lists them, and `match` walks a packet's tree once to collect just those items.
import { allFields, type FieldDef } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import { Compiler, type CompileState, type Ctx, type Pred } from './compile';
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
  /** test one dissected packet */
  match(pkt: Packet): boolean;
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

/** `${name}` macros are expanded before anything else in tshark; only field references are supported. */
function checkMacros(text: string): void {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '$' && text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close < 0) throw new FilterSyntaxError('end of filter in the middle of a macro expression', i, text.length);
      const name = text.slice(i + 2, close);
      if (!getField(name)) throw new FilterSyntaxError(`macro '${name}' does not exist`, i, close + 1);
      i = close;
    }
  }
}

function build(text: string): CompiledFilter {
  if (text.trim() === '') return { text, fields: [], warnings: [], match: () => true };
  checkMacros(text);
  const lexer = new Lexer(text, (name) => getField(name) !== undefined);
  const ast = parseFilter(lexer);
  const st: CompileState = { slotOf: new Map(), fields: [], usesLayers: false, warnings: [] };
  const pred = ast ? new Compiler(text, st).test(ast) : () => true;
  const warnings = [...new Set([...lexer.warnings, ...st.warnings])];
  return { text, fields: st.fields, warnings, match: makeMatcher(pred, st) };
}

function makeMatcher(pred: Pred, st: CompileState): (pkt: Packet) => boolean {
  const nSlots = st.slotOf.size;
  let maxId = -1;
  for (const id of st.slotOf.keys()) if (id > maxId) maxId = id;
  const slotOf = new Int32Array(maxId + 1).fill(-1);
  for (const [id, s] of st.slotOf) slotOf[id] = s;
  const usesLayers = st.usesLayers;

  const items: (Item[] | undefined)[] = new Array(nSlots).fill(undefined);
  const layers: (number[] | undefined)[] = new Array(nSlots).fill(undefined);

  const collect = (list: Item[]): void => {
    for (let i = 0; i < list.length; i++) {
      const it = list[i]!;
      const id = it.f.id;
      if (id <= maxId) {
        const s = slotOf[id]!;
        if (s >= 0) {
          const a = items[s];
          if (a) a.push(it);
          else items[s] = [it];
        }
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
          const layer = current.get(f.proto) ?? protoCount.get(f.proto) ?? 0;
          const a = items[s];
          if (a) {
            a.push(it);
            layers[s]!.push(layer);
          } else {
            items[s] = [it];
            layers[s] = [layer];
          }
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
        items[i] = undefined;
        layers[i] = undefined;
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
