// The packet list: a virtualised ARIA grid whose rows come from the worker in cached windows.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore, rows, selectIndex, frameAtIndex } from './store';
import { rowTone, seconds } from './format';
import type { TimeFormat } from '../core/time';
import { ContextMenu } from './Menu';
import { analysisEntries } from './actions';
import { useStats, toggleMark, markEntry } from './stats/state';
import { COLOR_RULES } from '../core/coloring';
import { useLiveAutoScroll, LiveJump } from './live/autoscroll';
import { useT } from './i18n';
import { useClassroom, usePaneMetrics, projectorColumns } from './classroom/state';
import { TcpdumpCells, TcpdumpHeader, useTcpdumpGrid } from './TcpdumpList';
import { useColumns, visibleColumns, setColumnWidth, moveColumn, type ListColumn } from './columns/state';
import { ColumnMenu } from './columns/ColumnMenu';
import type { RowSummary } from '../core/summary';
import { builtinColumnText } from '../core/output/columns';

/** Width in px for the Time column's text in `fmt` (12 px monospace is about 7.3 px a character). */
function timeColumnWidth(fmt: TimeFormat, digits: number): number {
  const chars = { r: 4, d: 3, dd: 3, e: 11, a: 9, u: 9, ad: 20, ud: 20, adoy: 18, udoy: 18 }[fmt] + digits;
  return Math.ceil(chars * 7.4 + 18);
}

// how the built-in columns' cells look: right-aligned numbers, monospace where Wireshark's text lines up
const RIGHT = new Set<string>(['num', 'time', 'length']);

/** The class names of a column's cells. */
function cellClass(c: ListColumn): string {
  if ('builtin' in c.kind) return `pcell col-${c.kind.builtin}${RIGHT.has(c.kind.builtin) ? ' right' : ''}`;
  return 'pcell col-custom';
}

/** A row's text in column `c` (`time` is its Time column text). */
function cellText(c: ListColumn, r: RowSummary, customAt: number, time: string): string {
  return 'custom' in c.kind ? (r.custom?.[customAt] ?? '') : builtinColumnText(c.kind.builtin, r, time);
}

export function PacketList() {
  const displayed = useStore((s) => s.displayed);
  const selectedIndex = useStore((s) => s.selectedIndex);
  const view = useStore((s) => s.view);
  const generation = useStore((s) => s.generation);
  const rowsVersion = useStore((s) => s.rowsVersion); // re-render when rows arrive
  const timeDigits = useStore((s) => s.timeDigits);
  const timeFormat = useStore((s) => s.timeFormat);
  const colorize = useStore((s) => s.colorize);
  // View › tcpdump -n format: No. and the tcpdump line instead of the columns
  const tcpdump = useStore((s) => s.tcpdumpList);
  const hasCapture = useStore((s) => s.meta !== null);
  const opening = useStore((s) => s.opening);
  const appliedFilter = useStore((s) => s.appliedFilter);
  const loading = useStore((s) => s.loading);
  const marks = useStats((s) => s.marked);
  const t = useT();
  // projector mode: taller rows, fewer and wider columns
  const { rowH: ROW_H } = usePaneMetrics();
  const projector = useClassroom((s) => s.projector);
  const fontPx = useClassroom((s) => s.fontPx);

  const scrollRef = useRef<HTMLDivElement>(null);
  const headRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const allColumns = useColumns((s) => s.columns);
  const shown = useMemo(() => visibleColumns(allColumns), [allColumns]);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const [colMenu, setColMenu] = useState<{ id: string; x: number; y: number } | null>(null);

  const virt = useVirtualizer({
    count: displayed,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 6,
    // rendering the new rows inside the scroll event put React's work, style, layout and paint in one
    // task: 55-100 ms long tasks while flinging. Rendered in its own task, each part stays shorter.
    useFlushSync: false,
  });
  const items = virt.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;

  // fetch the rows around what is visible
  useEffect(() => {
    if (displayed > 0 && last >= 0) rows.ensure(first - 20, last + 20, displayed);
    // rowsVersion: a window answered while the list grew (live capture) holds fewer rows than now displayed
  }, [first, last, displayed, view, generation, rowsVersion]);

  // keep the selected row in view (keyboard moves, filter changes)
  useLayoutEffect(() => {
    if (selectedIndex >= 0 && selectedIndex < displayed) virt.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, view]);

  // back to the top for a new capture; take the keyboard focus if nobody has it (like Wireshark)
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    if (generation && (document.activeElement === document.body || !document.activeElement)) {
      gridRef.current?.focus({ preventScroll: true });
    }
  }, [generation]);

  const pageRows = () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_H * 10) / ROW_H) - 1);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (displayed === 0) return;
    // Ctrl+M marks or unmarks the selected packet (Wireshark's Edit › Mark Packet)
    if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'm') {
      e.preventDefault();
      toggleMark(frameAtIndex(selectedIndex));
      return;
    }
    const cur = selectedIndex;
    let next: number | null = null;
    switch (e.key) {
      case 'ArrowDown':
        next = cur < 0 ? 0 : cur + 1;
        break;
      case 'ArrowUp':
        next = cur < 0 ? 0 : cur - 1;
        break;
      case 'PageDown':
        next = (cur < 0 ? 0 : cur) + pageRows();
        break;
      case 'PageUp':
        next = (cur < 0 ? 0 : cur) - pageRows();
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = displayed - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    selectIndex(Math.max(0, Math.min(displayed - 1, next)));
  };

  // live capture: follow the newest packet unless the user scrolled up
  const auto = useLiveAutoScroll(scrollRef, displayed);

  const onScroll = () => {
    if (headRef.current && scrollRef.current) headRef.current.scrollLeft = scrollRef.current.scrollLeft;
    auto.onScroll();
  };

  // a clock or date format widens the Time column to fit its text (the remembered width stays as set)
  const shownWidths = useMemo(
    () => shown.map((c) => ('builtin' in c.kind && c.kind.builtin === 'time' ? Math.max(c.width, timeColumnWidth(timeFormat, timeDigits)) : c.width)),
    [shown, timeFormat, timeDigits],
  );
  const template = useMemo(
    () => shownWidths.map((w, i) => (i === shownWidths.length - 1 ? `minmax(${w}px, 1fr)` : `${w}px`)).join(' '),
    [shownWidths],
  );
  const minWidth = shownWidths.reduce((a, b) => a + b, 0);
  const proj = projector ? projectorColumns(fontPx, shown) : null;
  const tcpdumpGrid = useTcpdumpGrid(proj ? proj.template.split(' ')[0]! : `${shownWidths[0] ?? 64}px`, tcpdump ? items.map((it) => rows.get(it.index)) : [], generation);
  useEffect(() => virt.measure(), [ROW_H]);
  // where each custom column's text is in a row's `custom` (the rows carry the shown custom columns in order)
  const customAt = useMemo(() => {
    let n = 0;
    return shown.map((c) => ('custom' in c.kind ? n++ : -1));
  }, [shown]);

  // column resizing
  const resize = useRef<{ id: string; x: number; w: number } | null>(null);
  const onResizeDown = (i: number) => (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    (e.target as HTMLElement).setPointerCapture(e.pointerId);
    resize.current = { id: shown[i]!.id, x: e.clientX, w: shownWidths[i]! };
    document.body.classList.add('resizing-cols');
  };
  const onResizeMove = useCallback((e: PointerEvent<HTMLDivElement>) => {
    const r = resize.current;
    if (r) setColumnWidth(r.id, r.w + e.clientX - r.x, false);
  }, []);
  const onResizeUp = (e: PointerEvent<HTMLDivElement>) => {
    const r = resize.current;
    if (!r) return;
    resize.current = null;
    document.body.classList.remove('resizing-cols');
    setColumnWidth(r.id, r.w + e.clientX - r.x, true);
  };

  // column reordering: drag a header; the drop goes before the header whose middle is right of the pointer
  const [drag, setDrag] = useState<{ id: string; x0: number; active: boolean; before: string | null; at: number } | null>(null);
  const dropAt = (clientX: number): { before: string | null; at: number } => {
    const cells = Array.from(headRef.current?.querySelectorAll<HTMLElement>('[role="columnheader"]') ?? []);
    const head = headRef.current!.getBoundingClientRect();
    for (let i = 0; i < cells.length; i++) {
      const r = cells[i]!.getBoundingClientRect();
      if (clientX < r.left + r.width / 2) return { before: shown[i]?.id ?? null, at: r.left - head.left + headRef.current!.scrollLeft };
    }
    const last = cells[cells.length - 1]?.getBoundingClientRect();
    return { before: null, at: (last ? last.right - head.left : 0) + headRef.current!.scrollLeft };
  };
  const onHeadDown = (id: string) => (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
    setDrag({ id, x0: e.clientX, active: false, before: null, at: 0 });
  };
  const onHeadMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    if (!drag.active && Math.abs(e.clientX - drag.x0) < 5) return;
    setDrag({ ...drag, active: true, ...dropAt(e.clientX) });
  };
  const onHeadUp = () => {
    if (drag?.active) moveColumn(drag.id, drag.before);
    setDrag(null);
  };
  const openColMenu = (id: string, x: number, y: number) => setColMenu({ id, x, y });

  const activeId = selectedIndex >= first && selectedIndex <= last ? `prow-${selectedIndex}` : undefined;

  let empty: string | null = null;
  if (displayed === 0) {
    if (opening && !hasCapture) empty = t('list.opening', { name: opening });
    else if (!hasCapture) empty = t('list.noCapture');
    else if (loading) empty = appliedFilter ? t('list.loadingFiltered') : t('list.loading');
    else if (appliedFilter) empty = t('list.noMatch');
    else empty = t('list.empty');
  }
  if (empty && hasCapture && auto.enabled) empty = appliedFilter ? 'Capturing… no packets match the display filter yet.' : 'Capturing… waiting for packets.';

  const onGridKey = (e: KeyboardEvent<HTMLDivElement>) => {
    // the context-menu key / Shift+F10 opens the menu of the selected row
    if ((e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) && selectedIndex >= 0) {
      e.preventDefault();
      const el = document.getElementById(`prow-${selectedIndex}`);
      const r = el?.getBoundingClientRect();
      setMenu({ x: r ? r.left + 80 : 100, y: r ? r.bottom : 100 });
      return;
    }
    onKeyDown(e);
  };

  return (
    <div
      ref={gridRef}
      className={`plist${colorize ? ' colorize' : ''}${tcpdump ? ' tcpdump' : ''}`}
      role="grid"
      aria-label={t('list.label')}
      aria-rowcount={displayed + 1}
      aria-colcount={tcpdump ? 2 : shown.length}
      aria-readonly="true"
      aria-multiselectable="false"
      aria-activedescendant={activeId}
      tabIndex={0}
      onKeyDown={onGridKey}
      style={tcpdump ? tcpdumpGrid : { ['--cols' as string]: proj?.template ?? template, ['--row-min' as string]: `${proj?.minWidth ?? minWidth}px` }}
    >
      <div className="plist-head" ref={headRef} role="rowgroup">
        <div className="prow prow-head" role="row" aria-rowindex={1}>
          {tcpdump ? <TcpdumpHeader numTitle={t('list.col.num')} /> : shown.map((c, i) => {
            const title = 'builtin' in c.kind ? t(`list.col.${c.kind.builtin}`) : c.title;
            return (
              <div
                key={c.id}
                role="columnheader"
                tabIndex={-1}
                data-column={c.id}
                className={`${cellClass(c)}${drag?.active && drag.id === c.id ? ' dragging' : ''}`}
                title={'custom' in c.kind ? `${c.title} (${c.kind.custom.field})` : undefined}
                onPointerDown={onHeadDown(c.id)}
                onPointerMove={onHeadMove}
                onPointerUp={onHeadUp}
                onPointerCancel={() => setDrag(null)}
                onContextMenu={(e) => {
                  e.preventDefault();
                  openColMenu(c.id, e.clientX, e.clientY);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')) {
                    e.preventDefault();
                    e.stopPropagation();
                    const r = e.currentTarget.getBoundingClientRect();
                    openColMenu(c.id, r.left + 8, r.bottom);
                  }
                }}
              >
                <span className="pcell-text">{title}</span>
                <div
                  className="col-resize"
                  aria-hidden="true"
                  onPointerDown={onResizeDown(i)}
                  onPointerMove={onResizeMove}
                  onPointerUp={onResizeUp}
                  onPointerCancel={onResizeUp}
                />
              </div>
            );
          })}
        </div>
        {drag?.active && <div className="col-drop" style={{ left: drag.at - 1 }} aria-hidden="true" />}
      </div>
      {colMenu && (
        <ColumnMenu
          id={colMenu.id}
          x={colMenu.x}
          y={colMenu.y}
          onClose={() => {
            setColMenu(null);
            gridRef.current?.focus({ preventScroll: true });
          }}
        />
      )}
      <LiveJump auto={auto} />
      {menu && <PacketMenu x={menu.x} y={menu.y} onClose={() => {
        setMenu(null);
        gridRef.current?.focus({ preventScroll: true });
      }} />}
      <div className="plist-scroll" ref={scrollRef} onScroll={onScroll}>
        {empty ? (
          <div className="pane-empty">{empty}</div>
        ) : (
          <div role="rowgroup" className="plist-body" style={{ height: virt.getTotalSize() }}>
            {items.map((it) => {
              const i = it.index;
              const r = rows.get(i);
              const sel = i === selectedIndex;
              // Wireshark's colouring rule of the row (rows the worker could not dissect keep a tone)
              const rule = r && colorize && r.color !== undefined && r.color >= 0 ? COLOR_RULES[r.color] : undefined;
              const tone = r && colorize && r.color === undefined ? rowTone(r.protocol, r.info) : '';
              const num = r?.num ?? frameAtIndex(i);
              // a row fetched before the list style changed has no tcpdump line: shown as still coming
              const row = r && (!tcpdump || r.tcpdump !== undefined) ? r : undefined;
              const time = r ? (r.timeText ?? seconds(r.time, timeDigits)) : '';
              return (
                <div
                  key={it.key}
                  id={`prow-${i}`}
                  role="row"
                  aria-rowindex={i + 2}
                  aria-selected={sel}
                  className={`prow${i % 2 ? ' odd' : ''}${tone ? ' ' + tone : ''}${rule ? ' ruled' : ''}${sel ? ' selected' : ''}${row ? (row.pending && !tcpdump ? ' provisional' : '') : ' pending'}${marks.has(num) ? ' marked' : ''}`}
                  style={{
                    transform: `translateY(${it.start}px)`,
                    ...(rule ? { ['--rule-bg' as string]: rule.bg, ['--rule-fg' as string]: rule.fg } : null),
                  }}
                  title={rule ? `Coloring rule: ${rule.name} (${rule.filter})` : undefined}
                  onMouseDown={(e) => {
                    if (e.button === 2 && sel) return;
                    selectIndex(i);
                    gridRef.current?.focus({ preventScroll: true });
                  }}
                  onContextMenu={(e) => {
                    e.preventDefault();
                    selectIndex(i);
                    setMenu({ x: e.clientX, y: e.clientY });
                  }}
                >
                  {tcpdump ? (
                    <TcpdumpCells num={num} row={row} />
                  ) : (
                    shown.map((c, ci) => {
                      const text = r ? cellText(c, r, customAt[ci]!, time) : 'builtin' in c.kind && c.kind.builtin === 'num' && num ? String(num) : '';
                      return (
                        <div key={c.id} role="gridcell" className={cellClass(c)} title={text.length > 80 ? text : undefined}>
                          {text}
                        </div>
                      );
                    })
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

/** The context menu of a packet row (its entries follow the selected packet's layers as they arrive). */
function PacketMenu({ x, y, onClose }: { x: number; y: number; onClose: () => void }) {
  const s = useStore();
  const t = useT();
  return <ContextMenu x={x} y={y} label={t('menu.packet')} entries={[...analysisEntries(s, { context: true }), 'separator', markEntry(s.selectedFrame)]} onClose={onClose} />;
}
