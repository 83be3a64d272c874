// The worker's view of the display-filter compiler (src/core/filter): compile text into a matcher.
import { compileFilter } from '../core/filter';
import type { Packet } from '../core/dissect/packet';

export interface DisplayFilter {
  match(pkt: Packet): boolean;
  warnings: string[];
}

export type CompileResult =
  | { ok: true; filter: DisplayFilter }
  | { ok: false; error: { message: string; start: number; end: number } };

export function compile(text: string): CompileResult {
  const r = compileFilter(text);
  if (r.ok) return { ok: true, filter: { match: (p) => r.filter.match(p), warnings: r.filter.warnings } };
  return { ok: false, error: { message: r.error.message, start: r.error.start, end: r.error.end } };
}
