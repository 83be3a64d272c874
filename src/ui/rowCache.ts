// Rows of the displayed list, fetched from the worker in fixed windows and cached (bounded, LRU).
import type { RowSummary } from '../worker/protocol';

export const WINDOW = 100;
const MAX_WINDOWS = 300; // 30,000 rows

interface Win {
  rows: RowSummary[];
  /** a request for this window is outstanding */
  pending: boolean;
}

export class RowCache {
  private wins = new Map<number, Win>();
  view = -1;

  constructor(private readonly request: (start: number, count: number) => void) {}

  /** Forget everything (a new capture or a new displayed list). */
  reset(view: number): void {
    this.view = view;
    this.wins.clear();
  }

  get(index: number): RowSummary | undefined {
    const w = this.wins.get(Math.floor(index / WINDOW));
    return w?.rows[index % WINDOW];
  }

  /** Make sure rows [first, last] of a list of `count` rows are cached or on their way. */
  ensure(first: number, last: number, count: number): void {
    if (count <= 0) return;
    const a = Math.max(0, Math.floor(first / WINDOW));
    const b = Math.floor(Math.min(last, count - 1) / WINDOW);
    for (let i = a; i <= b; i++) {
      const w = this.wins.get(i);
      const want = Math.min(WINDOW, count - i * WINDOW);
      if (w && (w.pending || w.rows.length >= want)) {
        // refresh LRU order
        this.wins.delete(i);
        this.wins.set(i, w);
        continue;
      }
      this.wins.set(i, { rows: w?.rows ?? [], pending: true });
      this.request(i * WINDOW, WINDOW);
    }
    while (this.wins.size > MAX_WINDOWS) {
      const k = this.wins.keys().next().value!;
      this.wins.delete(k);
    }
  }

  /**
   * Forget windows holding provisional rows (made before the first pass reached them) of frames the first
   * pass has now been through, so they are asked for again. Returns whether any was dropped.
   */
  dropProvisional(analysed: number): boolean {
    let dropped = false;
    for (const [i, w] of this.wins) {
      if (w.pending) continue;
      if (w.rows.some((r) => r.pending && r.num <= analysed)) {
        this.wins.delete(i);
        dropped = true;
      }
    }
    return dropped;
  }

  /** Store a response; returns false when it belongs to another view. */
  put(view: number, start: number, rows: RowSummary[]): boolean {
    if (view !== this.view) return false;
    const i = Math.floor(start / WINDOW);
    this.wins.set(i, { rows, pending: false });
    return true;
  }
}
