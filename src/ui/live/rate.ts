// The live packet rate: packets that arrived in the last two seconds, from (time, count) samples
// taken when the count changed.

export const RATE_WINDOW_MS = 2000;

export interface CountSample {
  t: number;
  n: number;
}

/**
 * Packets per second over the `RATE_WINDOW_MS` before `now`. `samples` is in time order, its first
 * entry the count when capture began at `start`; entries older than needed are dropped from it (one at
 * or before the window's start is kept: the count the window grows from).
 */
export function windowRate(samples: CountSample[], now: number, start: number): number {
  const from = now - RATE_WINDOW_MS;
  while (samples.length > 1 && samples[1]!.t <= from) samples.shift();
  const base = samples[0];
  if (!base) return 0;
  const n = samples[samples.length - 1]!.n;
  const span = Math.min(RATE_WINDOW_MS, now - start);
  return span > 0 ? ((n - base.n) * 1000) / span : 0;
}
