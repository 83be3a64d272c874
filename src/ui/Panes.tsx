// Three panes stacked vertically with draggable splitters; the sizes are remembered in localStorage.
import { useCallback, useEffect, useRef, useState, type ReactNode, type KeyboardEvent, type PointerEvent } from 'react';
import { useT } from './i18n';

const LS_KEY = 'wirelens.panes.v1';
const DEFAULT: [number, number, number] = [0.5, 0.3, 0.2];
const MIN_PX = 56;

function load(): [number, number, number] {
  try {
    const v = JSON.parse(localStorage.getItem(LS_KEY) ?? 'null') as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && x > 0 && x < 1)) {
      const sum = v[0] + v[1] + v[2];
      return [v[0] / sum, v[1] / sum, v[2] / sum];
    }
  } catch {
    /* ignore */
  }
  return DEFAULT;
}

function save(f: readonly number[]): void {
  try {
    localStorage.setItem(LS_KEY, JSON.stringify(f.map((x) => Math.round(x * 10000) / 10000)));
  } catch {
    /* ignore */
  }
}

export function Panes({ children, labels }: { children: [ReactNode, ReactNode, ReactNode]; labels: [string, string, string] }) {
  const [frac, setFrac] = useState(load);
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  const drag = useRef<{ i: number; y: number; start: [number, number, number]; h: number } | null>(null);

  const move = useCallback((i: number, dyPx: number, start: [number, number, number], h: number) => {
    const avail = Math.max(1, h);
    const min = Math.min(0.3, MIN_PX / avail);
    const a = start[i]!;
    const b = start[i + 1]!;
    let d = dyPx / avail;
    d = Math.max(min - a, Math.min(b - min, d));
    const next = [...start] as [number, number, number];
    next[i] = a + d;
    next[i + 1] = b - d;
    setFrac(next);
    return next;
  }, []);

  const paneHeight = () => {
    const el = box.current;
    if (!el) return 1;
    const seps = el.querySelectorAll(':scope > .splitter');
    let h = el.clientHeight;
    seps.forEach((s) => (h -= (s as HTMLElement).offsetHeight));
    return h;
  };

  const onDown = (i: number) => (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
    drag.current = { i, y: e.clientY, start: frac, h: paneHeight() };
    document.body.classList.add('resizing-rows');
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    move(d.i, e.clientY - d.y, d.start, d.h);
  };
  const onUp = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d) return;
    drag.current = null;
    document.body.classList.remove('resizing-rows');
    save(move(d.i, e.clientY - d.y, d.start, d.h));
  };
  const onKey = (i: number) => (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 64 : 16;
    let dy = 0;
    if (e.key === 'ArrowUp') dy = -step;
    else if (e.key === 'ArrowDown') dy = step;
    else return;
    e.preventDefault();
    save(move(i, dy, frac, paneHeight()));
  };
  const reset = () => {
    setFrac(DEFAULT);
    save(DEFAULT);
  };

  useEffect(() => () => document.body.classList.remove('resizing-rows'), []);

  const sep = (i: number) => (
    <div
      className="splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label={t('pane.resize', { a: labels[i], b: labels[i + 1] })}
      aria-valuenow={Math.round(frac[i]! * 100)}
      aria-valuemin={0}
      aria-valuemax={100}
      tabIndex={0}
      onPointerDown={onDown(i)}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={onUp}
      onKeyDown={onKey(i)}
      onDoubleClick={reset}
      title={t('pane.resizeTitle')}
    />
  );

  return (
    <div className="panes" ref={box}>
      <div className="pane" style={{ flex: `${frac[0]} 1 0px` }}>
        {children[0]}
      </div>
      {sep(0)}
      <div className="pane" style={{ flex: `${frac[1]} 1 0px` }}>
        {children[1]}
      </div>
      {sep(1)}
      <div className="pane" style={{ flex: `${frac[2]} 1 0px` }}>
        {children[2]}
      </div>
    </div>
  );
}
