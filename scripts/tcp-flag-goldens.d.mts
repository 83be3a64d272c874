// Types of what test/analysis/tcp-flags.test.ts imports from tcp-flag-goldens.mjs.
export type Segment = [number, 'c' | 's', string, number, number, number?, number?, { sack?: [number, number][]; isn?: number; isnS?: number }?];
export interface FlagCase {
  title: string;
  ws?: boolean;
  segs: Segment[];
}
export const GOLDEN_DIR: string;
export const FIELDS: string[];
export const CASES: Record<string, FlagCase>;
export function pcapOf(kase: FlagCase): Uint8Array;
