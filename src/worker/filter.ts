// The worker's view of the display-filter compiler (src/core/filter): compile text into a matcher, and into
// a matcher over the frame index when every field the filter reads is indexed.
import { compileFilter } from '../core/filter';
import type { Packet } from '../core/dissect/packet';
import { IndexMatcher } from '../core/model/index-filter';
import { ProtocolGate } from '../core/model/protocol-gate';

export interface DisplayFilter {
  match(pkt: Packet): boolean;
  warnings: string[];
  /** the ids of the fields the filter reads (a dissection needs to keep only these) */
  keep: Set<number>;
  /** the same filter on the frame index (plain frames only), when the index has its fields */
  index: IndexMatcher | null;
  /** answers frames without any of the filter's protocols, once the first pass has been through them */
  gate: ProtocolGate | null;
}

export type CompileResult =
  | { ok: true; filter: DisplayFilter }
  | { ok: false; error: { message: string; start: number; end: number } };

export function compile(text: string): CompileResult {
  const r = compileFilter(text);
  if (r.ok) {
    const f = r.filter;
    return {
      ok: true,
      filter: { match: (p) => f.match(p), warnings: f.warnings, keep: new Set(f.fields.map((x) => x.id)), index: IndexMatcher.for(f), gate: ProtocolGate.for(f) },
    };
  }
  return { ok: false, error: { message: r.error.message, start: r.error.start, end: r.error.end } };
}
