// A zoomable SVG chart for the statistics windows: bars, lines, steps, points and vertical segments
// (tcptrace's I-bars), drawn as one path per series so thousands of points stay cheap. The wheel zooms
// around the pointer (Shift: the y axis), a drag zooms into a rectangle, Reset shows everything; a click
// picks the nearest point that belongs to a packet. Colours come from the theme (CSS variables read when
// the theme changes) and are written as attributes, so the SVG exports as it looks. "Table" shows the same
// numbers as a table for screen readers and copying.
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode, type PointerEvent as RPointerEvent, type WheelEvent as RWheelEvent } from 'react';
import { useResolvedTheme } from '../theme';
import { svgToPng, download } from '../diagram/export';
import { Icon } from '../icons';

export type SeriesKind = 'bar' | 'line' | 'step' | 'points' | 'ibar' | 'cross';

export interface ChartSeries {
  id: string;
  name: string;
  /** a CSS custom property of .chart-root (e.g. '--ch-0') or a colour */
  color: string;
  kind: SeriesKind;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** ibar: the bottom of each segment */
  y0?: ArrayLike<number>;
  /** the packet of each point (clicking selects it); 0 = none */
  frames?: ArrayLike<number>;
  /** bar width in x units */
  barWidth?: number;
  /** left out of the legend and the table (helper series) */
  quiet?: boolean;
}

export interface ChartProps {
  title: string;
  xLabel: string;
  yLabel: string;
  series: ChartSeries[];
  xFormat?: (v: number) => string;
  yFormat?: (v: number) => string;
  /** y axis starts at 0 when fitting (counts, rates) */
  yFromZero?: boolean;
  onPick?: (frame: number) => void;
  selectedFrame?: number;
  /** download name without extension */
  fileName: string;
  /** extra toolbar content (left of the chart tools) */
  tools?: ReactNode;
  /** message over an empty chart */
  empty?: string;
}

interface View {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

const M = { left: 66, right: 18, top: 14, bottom: 40 };
const TABLE_MAX = 5000;

/** About `n` round tick values between a and b. */
export function ticks(a: number, b: number, n: number): number[] {
  if (!(b > a)) return [a];
  const raw = (b - a) / Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let v = Math.ceil(a / step) * step; v <= b + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

export function defaultFormat(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toFixed(2)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toFixed(2)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  if (a === 0 || a >= 1) return `${+v.toFixed(2)}`;
  return `${+v.toPrecision(3)}`;
}

function extent(series: ChartSeries[], yFromZero: boolean): View {
  let x0 = Infinity,
    x1 = -Infinity,
    y0 = Infinity,
    y1 = -Infinity;
  for (const s of series) {
    const w = s.kind === 'bar' ? (s.barWidth ?? 0) : 0;
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i]!;
      const y = s.y[i]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (x < x0) x0 = x;
      if (x + w > x1) x1 = x + w;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (s.y0) {
        const b = s.y0[i]!;
        if (b < y0) y0 = b;
      }
    }
  }
  if (!Number.isFinite(x0)) return { x0: 0, x1: 1, y0: 0, y1: 1 };
  if (yFromZero) y0 = Math.min(0, y0);
  if (x1 === x0) x1 = x0 + 1;
  if (y1 === y0) y1 = y0 + 1;
  const pad = (y1 - y0) * 0.05;
  // points at the edges stay whole (bars start at the axis)
  const xpad = series.some((s) => s.kind !== 'bar' && s.x.length) ? (x1 - x0) * 0.02 : 0;
  return { x0: x0 - xpad, x1: x1 + xpad, y0: yFromZero && y0 === 0 ? 0 : y0 - pad, y1: y1 + pad };
}

/** The theme's value of a colour given as a custom property. */
function colorOf(el: Element | null, c: string): string {
  if (!c.startsWith('--') || !el) return c;
  return getComputedStyle(el).getPropertyValue(c).trim() || '#888';
}

export function Chart(props: ChartProps) {
  const theme = useResolvedTheme();
  const rootRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ w: 800, h: 360 });
  const [view, setView] = useState<View | null>(null);
  const [drag, setDrag] = useState<{ x: number; y: number; x2: number; y2: number } | null>(null);
  const [table, setTable] = useState(false);
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<string | null>(null);
  const [colors, setColors] = useState<Record<string, string>>({});
  const { yFromZero = true } = props;
  const clipId = `chart-clip-${useId().replace(/[^\w-]/g, '')}`;

  const visible = useMemo(() => props.series.filter((s) => !hidden.has(s.id)), [props.series, hidden]);
  const fit = useMemo(() => extent(visible, yFromZero), [visible, yFromZero]);
  const v = view ?? fit;

  // reset the zoom when the data changes
  useEffect(() => setView(null), [props.series]);

  useLayoutEffect(() => {
    const el = plotRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: Math.max(200, el.clientWidth), h: Math.max(160, el.clientHeight) }));
    ro.observe(el);
    setSize({ w: Math.max(200, el.clientWidth), h: Math.max(160, el.clientHeight) });
    return () => ro.disconnect();
  }, [table]);

  // theme colours, resolved for the SVG (and its export)
  useLayoutEffect(() => {
    const el = rootRef.current;
    const names = ['--ch-bg', '--ch-fg', '--ch-muted', '--ch-grid', '--ch-axis', '--ch-sel', '--ch-font', ...props.series.map((s) => s.color)];
    const out: Record<string, string> = {};
    for (const n of names) out[n] = colorOf(el, n);
    setColors(out);
  }, [theme, props.series]);
  const col = (c: string) => colors[c] ?? (c.startsWith('--') ? '#888' : c);

  const W = size.w;
  const H = size.h;
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (x: number) => M.left + ((x - v.x0) / (v.x1 - v.x0)) * pw;
  const sy = (y: number) => M.top + ph - ((y - v.y0) / (v.y1 - v.y0)) * ph;
  const ix = (px: number) => v.x0 + ((px - M.left) / pw) * (v.x1 - v.x0);
  const iy = (py: number) => v.y0 + ((M.top + ph - py) / ph) * (v.y1 - v.y0);

  const paths = useMemo(() => {
    const r = (n: number) => Math.round(n * 10) / 10;
    return visible.map((s) => {
      const parts: string[] = [];
      let count = 0;
      const n = s.x.length;
      if (s.kind === 'bar') {
        const bw = Math.max(1, ((s.barWidth ?? 1) / (v.x1 - v.x0)) * pw - 1);
        const base = sy(Math.max(v.y0, 0));
        for (let i = 0; i < n; i++) {
          const x = s.x[i]!;
          if (x + (s.barWidth ?? 0) < v.x0 || x > v.x1 || !s.y[i]) continue;
          const top = sy(s.y[i]!);
          parts.push(`M${r(sx(x))} ${r(base)}h${r(bw)}V${r(top)}h${r(-bw)}Z`);
          count++;
        }
      } else if (s.kind === 'line' || s.kind === 'step') {
        let pen = false;
        let lastY = 0;
        for (let i = 0; i < n; i++) {
          const x = s.x[i]!;
          const y = s.y[i]!;
          if (!Number.isFinite(y)) {
            pen = false;
            continue;
          }
          const px = r(sx(x));
          const py = r(sy(y));
          if (!pen) parts.push(`M${px} ${py}`);
          else if (s.kind === 'step') parts.push(`H${px}V${py}`);
          else parts.push(`L${px} ${py}`);
          pen = true;
          lastY = py;
          count++;
        }
        void lastY;
      } else if (s.kind === 'ibar') {
        for (let i = 0; i < n; i++) {
          const x = s.x[i]!;
          if (x < v.x0 || x > v.x1) continue;
          const px = r(sx(x));
          const a = r(sy(s.y0 ? s.y0[i]! : 0));
          const b = r(sy(s.y[i]!));
          // an I: the segment with small serifs
          parts.push(`M${px} ${a}V${b}M${px - 2} ${a}h4M${px - 2} ${b}h4`);
          count++;
        }
      } else {
        const cross = s.kind === 'cross';
        for (let i = 0; i < n; i++) {
          const x = s.x[i]!;
          const y = s.y[i]!;
          if (x < v.x0 || x > v.x1 || y < v.y0 || y > v.y1) continue;
          const px = r(sx(x));
          const py = r(sy(y));
          parts.push(cross ? `M${px - 4} ${py - 4}l8 8M${px - 4} ${py + 4}l8 -8` : `M${px - 1.8} ${py}a1.8 1.8 0 1 0 3.6 0a1.8 1.8 0 1 0 -3.6 0`);
          count++;
        }
      }
      return { s, d: parts.join(''), count };
    });
  }, [visible, v.x0, v.x1, v.y0, v.y1, pw, ph]);

  const xt = ticks(v.x0, v.x1, Math.max(2, Math.floor(pw / 90)));
  const yt = ticks(v.y0, v.y1, Math.max(2, Math.floor(ph / 40)));
  const xf = props.xFormat ?? defaultFormat;
  const yf = props.yFormat ?? defaultFormat;

  const local = (e: { clientX: number; clientY: number }) => {
    const b = svgRef.current!.getBoundingClientRect();
    return { x: e.clientX - b.left, y: e.clientY - b.top };
  };

  const onWheel = (e: RWheelEvent<SVGSVGElement>) => {
    const p = local(e);
    if (p.x < M.left || p.x > W - M.right) return;
    const k = e.deltaY > 0 ? 1.25 : 0.8;
    if (e.shiftKey) {
      const cy = iy(p.y);
      setView({ ...v, y0: cy - (cy - v.y0) * k, y1: cy + (v.y1 - cy) * k });
    } else {
      const cx = ix(p.x);
      setView({ ...v, x0: cx - (cx - v.x0) * k, x1: cx + (v.x1 - cx) * k });
    }
  };

  // the wheel must not scroll the page while it zooms
  useEffect(() => {
    const el = svgRef.current;
    if (!el) return;
    const stop = (e: WheelEvent) => e.preventDefault();
    el.addEventListener('wheel', stop, { passive: false });
    return () => el.removeEventListener('wheel', stop);
  }, [table]);

  const pick = (px: number, py: number) => {
    if (!props.onPick) return;
    let best = 0;
    let bestD = Infinity;
    for (const s of visible) {
      if (!s.frames) continue;
      const bar = s.kind === 'bar';
      for (let i = 0; i < s.x.length; i++) {
        const f = s.frames[i]!;
        if (!f) continue;
        const x = bar ? sx(s.x[i]! + (s.barWidth ?? 0) / 2) : sx(s.x[i]!);
        const y = bar ? Math.min(py, sy(0)) : sy(s.y[i]!);
        const d = (x - px) ** 2 + (bar ? 0 : (y - py) ** 2);
        if (d < bestD) {
          bestD = d;
          best = f;
        }
      }
    }
    if (best) props.onPick(best);
  };

  const onDown = (e: RPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    const p = local(e);
    if (p.x < M.left || p.x > W - M.right || p.y < M.top || p.y > H - M.bottom) return;
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    setDrag({ x: p.x, y: p.y, x2: p.x, y2: p.y });
  };
  const onMove = (e: RPointerEvent<SVGSVGElement>) => {
    if (!drag) return;
    const p = local(e);
    setDrag({ ...drag, x2: Math.max(M.left, Math.min(W - M.right, p.x)), y2: Math.max(M.top, Math.min(H - M.bottom, p.y)) });
  };
  const onUp = () => {
    if (!drag) return;
    const d = drag;
    setDrag(null);
    if (Math.abs(d.x2 - d.x) < 6 && Math.abs(d.y2 - d.y) < 6) {
      pick(d.x, d.y);
      return;
    }
    const xa = ix(Math.min(d.x, d.x2));
    const xb = ix(Math.max(d.x, d.x2));
    const ya = iy(Math.max(d.y, d.y2));
    const yb = iy(Math.min(d.y, d.y2));
    // a flat drag zooms only in x
    setView(Math.abs(d.y2 - d.y) < 12 ? { ...v, x0: xa, x1: xb } : { x0: xa, x1: xb, y0: ya, y1: yb });
  };

  const svgText = () => {
    const svg = svgRef.current!;
    const clone = svg.cloneNode(true) as SVGSVGElement;
    clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
    clone.querySelector('.chart-drag')?.remove();
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = props.title;
    clone.insertBefore(title, clone.firstChild);
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}\n`;
  };
  const exportAs = async (kind: 'svg' | 'png') => {
    setBusy(kind);
    try {
      const text = svgText();
      if (kind === 'svg') download(new Blob([text], { type: 'image/svg+xml' }), `${props.fileName}.svg`);
      else download(await svgToPng([text], W, H, 2), `${props.fileName}.png`);
    } finally {
      setBusy(null);
    }
  };

  const selected = props.selectedFrame;
  const selMarks: { x: number; y: number }[] = [];
  if (selected) {
    for (const s of visible) {
      if (!s.frames || s.kind === 'bar') continue;
      for (let i = 0; i < s.x.length; i++) if (s.frames[i] === selected) selMarks.push({ x: s.x[i]!, y: s.y[i]! });
    }
  }

  const legend = props.series.filter((s) => !s.quiet);
  const tableRows = useMemo(() => {
    if (!table) return [];
    const rows: { s: string; x: number; y: number; y0?: number; f: number }[] = [];
    for (const s of visible) {
      if (s.quiet) continue;
      for (let i = 0; i < s.x.length && rows.length < TABLE_MAX; i++) {
        const row: { s: string; x: number; y: number; y0?: number; f: number } = { s: s.name, x: s.x[i]!, y: s.y[i]!, f: s.frames?.[i] ?? 0 };
        if (s.y0) row.y0 = s.y0[i]!;
        rows.push(row);
      }
    }
    return rows;
  }, [table, visible]);
  const total = visible.filter((s) => !s.quiet).reduce((a, s) => a + s.x.length, 0);
  const anyY0 = visible.some((s) => s.y0 && !s.quiet);
  const nothing = !props.series.some((s) => s.x.length);

  return (
    <div className="chart-root" ref={rootRef}>
      <div className="chart-tools">
        {props.tools}
        <span className="dialog-spacer" />
        <ul className="chart-legend" aria-label="Series">
          {legend.map((s) => {
            const n = paths.find((p) => p.s.id === s.id)?.count ?? 0;
            const off = hidden.has(s.id);
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`chart-key${off ? ' off' : ''}`}
                  aria-pressed={!off}
                  data-series={s.id}
                  data-count={off ? 0 : n}
                  title={off ? `Show ${s.name}` : `Hide ${s.name}`}
                  onClick={() => {
                    const h = new Set(hidden);
                    if (off) h.delete(s.id);
                    else h.add(s.id);
                    setHidden(h);
                  }}
                >
                  <span className={`chart-swatch k-${s.kind}`} style={{ background: col(s.color), borderColor: col(s.color) }} />
                  {s.name}
                </button>
              </li>
            );
          })}
        </ul>
        <span className="tb-sep" aria-hidden="true" />
        <button type="button" className="btn ghost" onClick={() => setView(null)} disabled={!view} title="Show everything (undo the zoom)">
          Reset zoom
        </button>
        <button type="button" className={`btn ghost${table ? ' on' : ''}`} aria-pressed={table} onClick={() => setTable(!table)} title="Show the numbers as a table">
          Table
        </button>
        <button type="button" className="btn ghost" onClick={() => void exportAs('svg')} disabled={!!busy || table} title="Save the chart as SVG">
          <Icon name="save" />
          SVG
        </button>
        <button type="button" className="btn ghost" onClick={() => void exportAs('png')} disabled={!!busy || table} title="Save the chart as PNG">
          <Icon name="save" />
          PNG
        </button>
      </div>
      {table ? (
        <div className="chart-table-wrap">
          <table className="chart-table" aria-label={`${props.title} data`}>
            <thead>
              <tr>
                <th scope="col">Series</th>
                <th scope="col">{props.xLabel}</th>
                {anyY0 && <th scope="col">From</th>}
                <th scope="col">{props.yLabel}</th>
                <th scope="col">Packet</th>
              </tr>
            </thead>
            <tbody>
              {tableRows.map((r, i) => (
                <tr key={i} onClick={() => r.f && props.onPick?.(r.f)} className={r.f && r.f === selected ? 'sel' : undefined}>
                  <td>{r.s}</td>
                  <td className="num">{xf(r.x)}</td>
                  {anyY0 && <td className="num">{r.y0 === undefined ? '' : yf(r.y0)}</td>}
                  <td className="num">{yf(r.y)}</td>
                  <td className="num">{r.f || ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > TABLE_MAX && <p className="chart-note">The first {TABLE_MAX.toLocaleString('en-US')} of {total.toLocaleString('en-US')} points are listed.</p>}
        </div>
      ) : (
        <div className="chart-plot" ref={plotRef}>
          <svg
            ref={svgRef}
            className="chart-svg"
            width={W}
            height={H}
            viewBox={`0 0 ${W} ${H}`}
            role="img"
            aria-label={props.title}
            fontFamily={col('--ch-font')}
            fontSize="11"
            onWheel={onWheel}
            onPointerDown={onDown}
            onPointerMove={onMove}
            onPointerUp={onUp}
            onPointerCancel={() => setDrag(null)}
            onDoubleClick={() => setView(null)}
          >
            <rect x="0" y="0" width={W} height={H} fill={col('--ch-bg')} />
            <clipPath id={clipId}>
              <rect x={M.left} y={M.top} width={pw} height={ph} />
            </clipPath>
            <g className="chart-grid" stroke={col('--ch-grid')} strokeWidth="1">
              {xt.map((t) => (
                <line key={`x${t}`} x1={Math.round(sx(t)) + 0.5} x2={Math.round(sx(t)) + 0.5} y1={M.top} y2={M.top + ph} />
              ))}
              {yt.map((t) => (
                <line key={`y${t}`} y1={Math.round(sy(t)) + 0.5} y2={Math.round(sy(t)) + 0.5} x1={M.left} x2={M.left + pw} />
              ))}
            </g>
            <g clipPath={`url(#${clipId})`}>
              {paths.map(({ s, d, count }) => {
                const c = col(s.color);
                const filled = s.kind === 'bar';
                const stroked = s.kind === 'line' || s.kind === 'step' || s.kind === 'ibar' || s.kind === 'cross';
                return (
                  <path
                    key={s.id}
                    className={`chart-series k-${s.kind}`}
                    data-series={s.id}
                    data-count={count}
                    d={d || 'M0 0'}
                    fill={filled || s.kind === 'points' ? c : 'none'}
                    fillOpacity={filled ? 0.85 : undefined}
                    stroke={stroked ? c : 'none'}
                    strokeWidth={s.kind === 'cross' ? 2 : s.kind === 'ibar' ? 1.2 : 1.5}
                    strokeLinejoin="round"
                  />
                );
              })}
              {selMarks.map((p, i) => (
                <circle key={i} className="chart-selected" cx={sx(p.x)} cy={sy(p.y)} r="5.5" fill="none" stroke={col('--ch-sel')} strokeWidth="2" />
              ))}
            </g>
            <g className="chart-axes" fill={col('--ch-muted')} stroke="none">
              <line x1={M.left} x2={M.left + pw} y1={M.top + ph + 0.5} y2={M.top + ph + 0.5} stroke={col('--ch-axis')} />
              <line x1={M.left - 0.5} x2={M.left - 0.5} y1={M.top} y2={M.top + ph} stroke={col('--ch-axis')} />
              {xt.map((t) => (
                <text key={`xt${t}`} x={sx(t)} y={M.top + ph + 15} textAnchor="middle">
                  {xf(t)}
                </text>
              ))}
              {yt.map((t) => (
                <text key={`yt${t}`} x={M.left - 6} y={sy(t) + 4} textAnchor="end">
                  {yf(t)}
                </text>
              ))}
              <text x={M.left + pw / 2} y={H - 6} textAnchor="middle" fill={col('--ch-fg')}>
                {props.xLabel}
              </text>
              <text transform={`translate(14 ${M.top + ph / 2}) rotate(-90)`} textAnchor="middle" fill={col('--ch-fg')}>
                {props.yLabel}
              </text>
            </g>
            {drag && (
              <rect
                className="chart-drag"
                x={Math.min(drag.x, drag.x2)}
                y={Math.min(drag.y, drag.y2)}
                width={Math.abs(drag.x2 - drag.x)}
                height={Math.abs(drag.y2 - drag.y)}
                fill={col('--ch-sel')}
                fillOpacity="0.12"
                stroke={col('--ch-sel')}
                strokeDasharray="4 3"
              />
            )}
          </svg>
          {nothing && props.empty && <div className="chart-empty">{props.empty}</div>}
        </div>
      )}
    </div>
  );
}
