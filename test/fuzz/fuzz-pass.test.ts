// A short fixed-seed pass of the mutation fuzzer (the same engine as `npm run fuzz`), so `npm test` runs it:
// every target gets inputs, none may crash, and none may take more than the per-input time limit.
import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus';
import { makeInput, runInput, TARGETS, type TargetName } from './engine';
import { FuzzFailure } from './targets';

const SEED = 20240901;
/** per target: inputs, and a wall-clock budget for the whole target (whichever ends first) */
const PLAN: Record<TargetName, { inputs: number; ms: number }> = {
  file: { inputs: 40, ms: 3000 },
  window: { inputs: 150, ms: 3000 },
  frame: { inputs: 1500, ms: 3000 },
  reader: { inputs: 3000, ms: 2000 },
  filter: { inputs: 3000, ms: 2500 },
};
const PER_INPUT_MS = 2000;

describe('fuzz pass (fixed seed)', () => {
  // fixtures of this repository only, so the pass is the same everywhere
  const corpus = loadCorpus({ shared: false });

  it('has a corpus', () => {
    expect(corpus.files.length).toBeGreaterThan(20);
    expect(corpus.filters.length).toBeGreaterThan(100);
  });

  for (const target of TARGETS) {
    it(`${target}: no crash, no hang`, () => {
      const mix = Object.fromEntries(TARGETS.map((t) => [t, t === target ? 1 : 0])) as Record<TargetName, number>;
      const { inputs, ms } = PLAN[target];
      const t0 = Date.now();
      const failures: string[] = [];
      let n = 0;
      for (let iter = 0; iter < inputs && Date.now() - t0 < ms; iter++, n++) {
        const inp = makeInput(corpus, SEED, 0, iter, mix);
        const s = Date.now();
        try {
          runInput(corpus, inp);
        } catch (e) {
          if (!(e instanceof FuzzFailure)) throw e;
          failures.push(`${SEED}:0:${iter} ${e.kind}: ${e.message}`);
        }
        const took = Date.now() - s;
        if (took > PER_INPUT_MS) failures.push(`${SEED}:0:${iter} hang: ${took} ms`);
      }
      expect(n).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    }, 30_000);
  }
});
