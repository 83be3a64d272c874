// The sequence (ladder) diagram view: a toolbar (time/seq switches, export, Mermaid), a caption, the
// virtualized SVG (only rows in view are in the DOM) and an overview strip to jump around long streams.
import { createElement, memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import {
  durationText,
  rowIndexOfFrame,
  visibleRows,
  type LadderModel,
  type SeqMode,
  type TimeMode,
} from '../../core/analysis/ladder';
import { buildScene, geometry, sceneRow, type SceneOptions, type SNode } from './scene';
import { baseFilename, copyText, download, exportSvgParts, mermaidText, svgToPng } from './export';
import { Overview } from './Overview';
import './diagram.css';

export interface DiagramOptions {
  timeMode: TimeMode;
  seqMode: SeqMode;
}

export interface SequenceDiagramProps {
  model: LadderModel;
  selectedFrame?: number | null;
  onSelectFrame?: (frame: number) => void;
  /** initial (uncontrolled) or current (controlled, with onOptionsChange) switches */
  options?: Partial<DiagramOptions>;
  onOptionsChange?: (o: DiagramOptions) => void;
  /** a heading; default: 'TCP stream N' / 'UDP conversation' */
  title?: string;
  className?: string;
}

const DEFAULTS: DiagramOptions = { timeMode: 'proportional', seqMode: 'relative' };

/** Render a scene node with React (attributes in SVG spelling become React props). */
function toReact(n: SNode | string, key?: string | number): ReactNode {
  if (typeof n === 'string') return n;
  const props: Record<string, unknown> = { key: n.k ?? key };
  if (n.a) {
    for (const [k, v] of Object.entries(n.a)) {
      if (v === undefined) continue;
      if (k === 'class') props.className = v;
      else if (k.startsWith('data-') || k.startsWith('aria-')) props[k] = v;
      else props[k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())] = v;
    }
  }
  const kids = n.c?.map((c, i) => toReact(c, i));
  return createElement(n.t, props, ...(kids ?? []));
}

function Segmented<T extends string>(props: { label: string; value: T; options: [T, string][]; onChange: (v: T) => void }) {
  return (
    <div className="ld-seg" role="radiogroup" aria-label={props.label}>
      <span className="ld-seg-label">{props.label}</span>
      {props.options.map(([v, text]) => (
        <button
          key={v}
          type="button"
          role="radio"
          aria-checked={props.value === v}
          className={props.value === v ? 'on' : ''}
          onClick={() => props.onChange(v)}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

/** What the toolbar needs from the view for exports. */
interface ViewHandle {
  svg: SVGSVGElement | null;
  width: number;
  scrollTop: number;
  viewHeight: number;
}

export function SequenceDiagram(props: SequenceDiagramProps) {
  const { model, onSelectFrame } = props;
  const selectedFrame = props.selectedFrame ?? null;
  const [ownOpts, setOwnOpts] = useState<DiagramOptions>({ ...DEFAULTS, ...props.options });
  const controlled = !!props.onOptionsChange && !!props.options;
  const opts: DiagramOptions = controlled ? { ...DEFAULTS, ...props.options } : ownOpts;
  const setOpts = (o: Partial<DiagramOptions>) => {
    const next = { ...opts, ...o };
    if (!controlled) setOwnOpts(next);
    props.onOptionsChange?.(next);
  };
  const [menu, setMenu] = useState(false);
  const [captionOpen, setCaptionOpen] = useState(false);
  const [toast, setToast] = useState<{ text: string; bad?: boolean } | null>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const view = useRef<ViewHandle>({ svg: null, width: 1000, scrollTop: 0, viewHeight: 600 });

  // export menu: close on outside click / Escape
  useEffect(() => {
    if (!menu) return;
    const down = (e: MouseEvent) => {
      if (!menuRef.current?.contains(e.target as Node)) setMenu(false);
    };
    const key = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenu(false);
    };
    document.addEventListener('mousedown', down);
    document.addEventListener('keydown', key);
    return () => {
      document.removeEventListener('mousedown', down);
      document.removeEventListener('keydown', key);
    };
  }, [menu]);

  useEffect(() => {
    if (!toast) return;
    const t = setTimeout(() => setToast(null), toast.bad ? 6000 : 2500);
    return () => clearTimeout(t);
  }, [toast]);

  const title = props.title ?? defaultTitle(model);
  const exportAs = async (kind: 'svg' | 'png', part: 'whole' | 'visible') => {
    setMenu(false);
    const v = view.current;
    if (!v.svg) return;
    try {
      const doc = exportSvgParts({
        model,
        width: v.width,
        timeMode: opts.timeMode,
        seqMode: opts.seqMode,
        part: part === 'whole' ? 'whole' : { top: v.scrollTop, height: v.viewHeight },
        selectedFrame: null,
        liveSvg: v.svg,
        title: `${title} — ${model.endpoints[0].label} ⇄ ${model.endpoints[1].label}`,
      });
      const name = `${baseFilename(model)}${part === 'visible' ? '-view' : ''}`;
      if (kind === 'svg') download(new Blob(doc.parts, { type: 'image/svg+xml' }), `${name}.svg`);
      else download(await svgToPng(doc.parts, doc.width, doc.height), `${name}.png`);
      setToast({ text: `Saved ${name}.${kind}` });
    } catch (err) {
      setToast({ text: err instanceof Error ? err.message : String(err), bad: true });
    }
  };
  const copyMermaid = async () => {
    setMenu(false);
    try {
      await copyText(mermaidText(model, opts.seqMode));
      setToast({ text: 'Mermaid sequenceDiagram copied' });
    } catch (err) {
      setToast({ text: err instanceof Error ? err.message : String(err), bad: true });
    }
  };
  const downloadMermaid = () => {
    setMenu(false);
    download(new Blob([mermaidText(model, opts.seqMode)], { type: 'text/plain' }), `${baseFilename(model)}.mmd`);
  };

  const n = model.rows.length;
  const dur = n ? model.rows[n - 1]!.packet.timeSec - model.rows[0]!.packet.timeSec : 0;

  return (
    <div className={`ld-root${props.className ? ' ' + props.className : ''}`}>
      <div className="ld-toolbar">
        <div className="ld-title">
          <span className="ld-title-main">{title}</span>
          <span className="ld-title-sub">
            <span className="ld-ep">{model.endpoints[0].label}</span>
            <span className="ld-arrows" aria-hidden="true">
              ⇄
            </span>
            <span className="ld-ep">{model.endpoints[1].label}</span>
            <span className="ld-dot">·</span>
            {n.toLocaleString('en-US')} packet{n === 1 ? '' : 's'}
            <span className="ld-dot">·</span>
            {durationText(dur)}
          </span>
        </div>
        <div className="ld-controls">
          <Segmented
            label="Time"
            value={opts.timeMode}
            options={[
              ['proportional', 'Proportional'],
              ['even', 'Even'],
            ]}
            onChange={(v) => setOpts({ timeMode: v })}
          />
          {model.transport === 'tcp' && (
            <Segmented
              label="Seq"
              value={opts.seqMode}
              options={[
                ['relative', 'Relative'],
                ['absolute', 'Absolute'],
              ]}
              onChange={(v) => setOpts({ seqMode: v })}
            />
          )}
          <button type="button" className="ld-btn" onClick={copyMermaid} title="Copy a Mermaid sequenceDiagram of this conversation">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
              <rect x="5" y="5" width="8.5" height="9" rx="1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
              <path d="M3 10.5V3.5C3 2.7 3.7 2 4.5 2H10" fill="none" stroke="currentColor" strokeWidth="1.4" />
            </svg>
            Mermaid
          </button>
          <div className="ld-menu-wrap" ref={menuRef}>
            <button type="button" className="ld-btn" aria-haspopup="menu" aria-expanded={menu} onClick={() => setMenu((m) => !m)}>
              <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                <path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M3 13h10" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
              Export
              <span className="ld-caret" aria-hidden="true">
                ▾
              </span>
            </button>
            {menu && (
              <div className="ld-menu" role="menu">
                <div className="ld-menu-head">Whole diagram</div>
                <button type="button" role="menuitem" onClick={() => exportAs('svg', 'whole')}>
                  SVG
                </button>
                <button type="button" role="menuitem" onClick={() => exportAs('png', 'whole')}>
                  PNG
                </button>
                <div className="ld-menu-head">Visible part</div>
                <button type="button" role="menuitem" onClick={() => exportAs('svg', 'visible')}>
                  SVG
                </button>
                <button type="button" role="menuitem" onClick={() => exportAs('png', 'visible')}>
                  PNG
                </button>
                <div className="ld-menu-sep" />
                <button type="button" role="menuitem" onClick={copyMermaid}>
                  Copy Mermaid text
                </button>
                <button type="button" role="menuitem" onClick={downloadMermaid}>
                  Download Mermaid (.mmd)
                </button>
              </div>
            )}
          </div>
        </div>
      </div>
      <div className="ld-caption">
        <svg viewBox="0 0 16 16" width="13" height="13" aria-hidden="true" className="ld-caption-icon">
          <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
          <path d="M8 7.2v4M8 4.6v.2" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
        </svg>
        <span
          className={`ld-caption-text${captionOpen ? ' open' : ''}`}
          title={captionOpen ? undefined : model.caption[opts.timeMode]}
          onClick={() => setCaptionOpen((o) => !o)}
        >
          {model.caption[opts.timeMode]}
        </span>
      </div>
      <DiagramView model={model} timeMode={opts.timeMode} seqMode={opts.seqMode} selectedFrame={selectedFrame} onSelectFrame={onSelectFrame} handle={view} />
      {toast && (
        <div className={`ld-toast${toast.bad ? ' bad' : ''}`} role="status">
          {toast.text}
        </div>
      )}
    </div>
  );
}

interface ViewProps {
  model: LadderModel;
  timeMode: TimeMode;
  seqMode: SeqMode;
  selectedFrame: number | null;
  onSelectFrame?: (frame: number) => void;
  handle: React.MutableRefObject<ViewHandle>;
}

/** The scrolling part: its state (size, scroll) changes every frame, the toolbar above does not re-render. */
const DiagramView = memo(function DiagramView({ model, timeMode, seqMode, selectedFrame, onSelectFrame, handle }: ViewProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const [size, setSize] = useState({ w: 1000, h: 600 });
  const [scrollTop, setScrollTop] = useState(0);

  const layout = model.layouts[timeMode];
  const g = geometry(size.w);
  const viewH = Math.max(0, size.h - g.headerH);
  const totalH = g.headerH + layout.height;
  handle.current = { svg: svgRef.current, width: size.w, scrollTop, viewHeight: viewH };
  useEffect(() => {
    handle.current.svg = svgRef.current;
  });

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    setSize({ w: el.clientWidth, h: el.clientHeight });
    return () => ro.disconnect();
  }, []);

  const raf = useRef(0);
  const onScroll = useCallback(() => {
    cancelAnimationFrame(raf.current);
    raf.current = requestAnimationFrame(() => setScrollTop(scrollRef.current?.scrollTop ?? 0));
  }, []);
  useEffect(() => () => cancelAnimationFrame(raf.current), []);

  const scrollTo = (top: number) => {
    const el = scrollRef.current;
    if (!el) return;
    el.scrollTop = Math.max(0, Math.min(top, totalH - el.clientHeight));
    setScrollTop(el.scrollTop);
  };

  // keep the same packet in view when the time mode changes
  const prevMode = useRef(timeMode);
  useLayoutEffect(() => {
    if (prevMode.current === timeMode) return;
    const el = scrollRef.current;
    const old = model.layouts[prevMode.current];
    prevMode.current = timeMode;
    if (!el || !model.rows.length) return;
    const si = selectedFrame !== null ? rowIndexOfFrame(model, selectedFrame) : -1;
    const top = visibleRows(old, el.scrollTop, el.scrollTop + 1)[0];
    const idx = si >= 0 ? si : Math.min(model.rows.length - 1, top);
    const delta = old.yCap[idx]! - el.scrollTop;
    scrollTo(layout.yCap[idx]! - delta);
  }, [timeMode, model]);

  // scroll the selected arrow into view
  const selIndex = selectedFrame !== null ? rowIndexOfFrame(model, selectedFrame) : -1;
  useEffect(() => {
    const el = scrollRef.current;
    if (!el || selIndex < 0) return;
    const top = Math.min(layout.ySend[selIndex]!, layout.yCap[selIndex]!) - 40;
    const bot = Math.max(layout.yRecv[selIndex]!, layout.yCap[selIndex]!) + 14;
    const vh = el.clientHeight - g.headerH;
    if (top < el.scrollTop || bot > el.scrollTop + vh) scrollTo(bot - top > vh ? top : (top + bot) / 2 - vh / 2);
    // only when the selection (or its layout) changes
  }, [selIndex, layout]);

  const sceneOpts: SceneOptions = {
    width: size.w,
    timeMode,
    seqMode,
    viewTop: scrollTop,
    viewHeight: viewH,
    selectedFrame,
    interactive: true,
  };
  const scene = useMemo(
    () => buildScene(model, sceneOpts),
    [model, size.w, viewH, timeMode, seqMode, scrollTop, selectedFrame],
  );

  // Rows do not depend on the scroll position: keep their React elements while they stay in view, so
  // scrolling only builds the rows that come in.
  const cache = useRef<{ model: LadderModel | null; key: string; selected: number | null; rows: Map<number, ReactNode> }>({
    model: null,
    key: '',
    selected: null,
    rows: new Map(),
  });
  const c = cache.current;
  const cacheKey = `${size.w}|${timeMode}|${seqMode}`;
  if (c.model !== model || c.key !== cacheKey) {
    c.model = model;
    c.key = cacheKey;
    c.rows.clear();
  }
  if (c.selected !== selectedFrame) {
    for (const f of [c.selected, selectedFrame]) if (f !== null) c.rows.delete(rowIndexOfFrame(model, f));
    c.selected = selectedFrame;
  }
  const [ra, rb] = scene.range;
  if (c.rows.size > 4 * (rb - ra + 1) + 200) {
    for (const k of c.rows.keys()) if (k < ra || k > rb) c.rows.delete(k);
  }
  const rowEl = (i: number) => {
    let el = c.rows.get(i);
    if (!el) {
      el = toReact(sceneRow(model, i, sceneOpts), model.rows[i]!.frame);
      c.rows.set(i, el);
    }
    return el;
  };
  const rowEls: ReactNode[] = [];
  for (let i = ra; i <= rb; i++) if (i !== scene.selected) rowEls.push(rowEl(i));
  // the selected row last, so its label sits on top
  if (scene.selected >= 0) rowEls.push(rowEl(scene.selected));

  const select = (i: number) => {
    const r = model.rows[Math.max(0, Math.min(model.rows.length - 1, i))];
    if (r) onSelectFrame?.(r.frame);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!model.rows.length) return;
    const cur = selIndex;
    const first = Math.max(0, ra);
    const page = Math.max(1, rb - ra - 2);
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = cur < 0 ? first : cur + 1;
        break;
      case 'ArrowUp':
        next = cur < 0 ? first : cur - 1;
        break;
      case 'PageDown':
        next = (cur < 0 ? first : cur) + page;
        break;
      case 'PageUp':
        next = (cur < 0 ? first : cur) - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = model.rows.length - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    select(next);
  };

  const onClick = (e: React.MouseEvent) => {
    const t = (e.target as Element).closest('[data-frame]');
    if (t) {
      select(rowIndexOfFrame(model, Number(t.getAttribute('data-frame'))));
      scrollRef.current?.focus({ preventScroll: true });
    }
  };

  return (
    <div className="ld-body">
      <div
        className="ld-scroll"
        ref={scrollRef}
        tabIndex={0}
        onScroll={onScroll}
        onKeyDown={onKeyDown}
        aria-label="Sequence diagram: use the up and down arrow keys to step through the packets"
      >
        <svg ref={svgRef} className="ld-svg ld-live" aria-label="Sequence diagram" width={size.w} height={Math.max(0, size.h)} onClick={onClick}>
          {toReact(scene.under)}
          <g className="ld-rows" transform={`translate(0,${scene.rowsDy})`}>
            {rowEls}
          </g>
          {toReact(scene.header)}
        </svg>
        <div style={{ height: Math.max(0, totalH - size.h) }} aria-hidden="true" />
        {model.rows.length === 0 && <div className="ld-empty">No packets in this conversation.</div>}
      </div>
      <Overview
        model={model}
        timeMode={timeMode}
        height={size.h}
        contentHeight={totalH}
        scrollTop={scrollTop}
        viewHeight={size.h}
        selectedIndex={selIndex}
        onJump={scrollTo}
      />
    </div>
  );
});

function defaultTitle(m: LadderModel): string {
  const t = m.transport.toUpperCase();
  if (m.transport === 'icmp') return 'ICMP conversation';
  return m.stream !== undefined ? `${t} stream ${m.stream}` : `${t} conversation`;
}
