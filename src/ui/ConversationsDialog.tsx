// Statistics › Conversations: Ethernet, IPv4, IPv6, TCP and UDP conversations with packets and bytes in
// total and per direction, sortable by any column; a row can be applied as a filter, followed, or drawn
// as a sequence diagram.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore, setConversationsOpen, applyFilterText, showDiagramOf, openFollow } from './store';
import { Dialog } from './Dialog';
import { Icon } from './icons';
import { count } from './format';
import { useT } from './i18n';
import { copyText } from './diagram/export';
import { conversationFilter, type ConvKind, type ConvRow } from '../core/analysis/conversations';

const ROW_H = 22;

const TABS: [ConvKind, string][] = [
  ['eth', 'Ethernet'],
  ['ipv4', 'IPv4'],
  ['ipv6', 'IPv6'],
  ['tcp', 'TCP'],
  ['udp', 'UDP'],
];

type ColId = 'addrA' | 'portA' | 'addrB' | 'portB' | 'packets' | 'bytes' | 'packetsAB' | 'bytesAB' | 'packetsBA' | 'bytesBA' | 'relStart' | 'duration';

interface Col {
  id: ColId;
  title: string;
  width: number;
  num: boolean;
  ported?: boolean;
}

const COLS: Col[] = [
  { id: 'addrA', title: 'Address A', width: 150, num: false },
  { id: 'portA', title: 'Port A', width: 66, num: true, ported: true },
  { id: 'addrB', title: 'Address B', width: 150, num: false },
  { id: 'portB', title: 'Port B', width: 66, num: true, ported: true },
  { id: 'packets', title: 'Packets', width: 72, num: true },
  { id: 'bytes', title: 'Bytes', width: 92, num: true },
  { id: 'packetsAB', title: 'Packets A → B', width: 120, num: true },
  { id: 'bytesAB', title: 'Bytes A → B', width: 108, num: true },
  { id: 'packetsBA', title: 'Packets B → A', width: 120, num: true },
  { id: 'bytesBA', title: 'Bytes B → A', width: 108, num: true },
  { id: 'relStart', title: 'Rel Start', width: 100, num: true },
  { id: 'duration', title: 'Duration', width: 84, num: true },
];

/** A sort key for an address: IPv4 numerically, IPv6 and MAC by their full hex digits. */
function addrKey(a: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(a)) return '4' + a.split('.').map((x) => x.padStart(3, '0')).join('');
  if (a.includes('::') || /^[0-9a-f:]+$/i.test(a)) {
    const [head, tail] = a.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const mid = tail !== undefined ? Array(Math.max(0, 8 - h.length - t.length)).fill('0') : [];
    return '6' + [...h, ...mid, ...t].map((x) => x.padStart(4, '0')).join('');
  }
  return '9' + a;
}

function cellText(r: ConvRow, id: ColId): string {
  switch (id) {
    case 'addrA':
      return r.addrA;
    case 'addrB':
      return r.addrB;
    case 'portA':
      return r.portA === undefined ? '' : String(r.portA);
    case 'portB':
      return r.portB === undefined ? '' : String(r.portB);
    case 'relStart':
      return r.relStart.toFixed(6);
    case 'duration':
      return r.duration.toFixed(4);
    default:
      return count(r[id]);
  }
}

function rowKey(r: ConvRow): string {
  return r.stream !== undefined ? `${r.kind}:${r.stream}` : `${r.kind}:${r.addrA}|${r.portA ?? ''}|${r.addrB}|${r.portB ?? ''}`;
}

export function ConversationsDialog() {
  const open = useStore((s) => s.convOpen);
  if (!open) return null;
  return <ConversationsWindow />;
}

function ConversationsWindow() {
  const conv = useStore((s) => s.conv);
  const t = useT();
  const loading = useStore((s) => s.loading);
  const applied = useStore((s) => s.appliedFilter);
  const [tab, setTab] = useState<ConvKind>(() => {
    try {
      const t = sessionStorage.getItem('wirelens.conv.tab');
      return TABS.some(([k]) => k === t) ? (t as ConvKind) : 'tcp';
    } catch {
      return 'tcp';
    }
  });
  const [sort, setSort] = useState<{ col: ColId; desc: boolean } | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    try {
      sessionStorage.setItem('wirelens.conv.tab', tab);
    } catch {
      /* ignore */
    }
  }, [tab]);

  const tables = conv?.tables ?? null;
  const ported = tab === 'tcp' || tab === 'udp';
  const cols = COLS.filter((c) => ported || !c.ported);
  const rows = useMemo(() => {
    const list = tables ? [...tables[tab]] : [];
    if (sort) {
      const { col, desc } = sort;
      const k = (r: ConvRow) => (col === 'addrA' || col === 'addrB' ? addrKey(r[col]) : (r[col] ?? -1));
      list.sort((a, b) => {
        const x = k(a);
        const y = k(b);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return desc ? -c : c;
      });
    }
    return list;
  }, [tables, tab, sort]);
  const selIndex = selected ? rows.findIndex((r) => rowKey(r) === selected) : -1;
  const sel = selIndex >= 0 ? rows[selIndex]! : null;

  const virt = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: 12,
  });
  useEffect(() => {
    if (selIndex >= 0) virt.scrollToIndex(selIndex, { align: 'auto' });
  }, [selIndex]);

  // address columns as wide as the longest address in the table (IPv6 needs more than IPv4)
  const addrW = useMemo(() => {
    let n = 9;
    for (const r of rows) n = Math.max(n, r.addrA.length, r.addrB.length);
    return Math.max(110, Math.min(320, Math.round(n * 7.4 + 20)));
  }, [rows]);
  const widthOf = (c: Col) => (c.id === 'addrA' || c.id === 'addrB' ? addrW : c.width);
  const template = cols.map((c, i) => (i === cols.length - 1 ? `minmax(${widthOf(c)}px, 1fr)` : `${widthOf(c)}px`)).join(' ');
  const minWidth = cols.reduce((a, c) => a + widthOf(c), 0);

  const clickHeader = (c: Col) => {
    setSort((s) => (s && s.col === c.id ? { col: c.id, desc: !s.desc } : { col: c.id, desc: c.num }));
  };

  const filterOn = (r: ConvRow) => applyFilterText(conversationFilter(r));
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!rows.length) return;
    let next = selIndex;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, selIndex + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, selIndex < 0 ? 0 : selIndex - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'Enter' && sel) {
      e.preventDefault();
      filterOn(sel);
      return;
    } else return;
    e.preventDefault();
    setSelected(rowKey(rows[next]!));
  };

  const csv = () => {
    const head = cols.map((c) => c.title.replace(' → ', ' -> '));
    const body = rows.map((r) => cols.map((c) => (c.num && c.id !== 'relStart' && c.id !== 'duration' ? String(r[c.id] ?? '') : cellText(r, c.id))));
    return [head, ...body].map((l) => l.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n';
  };

  const counting = !tables || (conv && conv.progress < 1);
  const status = tables
    ? `${count(rows.length)} ${TABS.find((t) => t[0] === tab)![1]} conversation${rows.length === 1 ? '' : 's'} · ${count(conv!.frames)} packets counted`
    : conv && conv.frames
      ? `Counting… ${count(conv.frames)} packets${loading ? ' (the capture is still loading)' : ''}`
      : 'Counting…';

  const footer = (
    <div className="conv-foot">
      <span className="conv-status" aria-live="polite">
        {counting && <span className="side-busy" aria-hidden="true" />}
        {status}
      </span>
      <span className="dialog-spacer" />
      <button type="button" className="btn" disabled={!rows.length} onClick={() => void copyText(csv())} title={t('conv.copyTitle')}>
        <Icon name="copy" />
        {t('conv.copy')}
      </button>
      <button
        type="button"
        className="btn"
        disabled={!sel || sel.stream === undefined}
        onClick={() => sel && sel.stream !== undefined && openFollow(sel.kind as 'tcp' | 'udp', sel.stream)}
        title={t('conv.followTitle')}
      >
        <Icon name="follow" />
        {t('conv.follow')}
      </button>
      <button
        type="button"
        className="btn"
        disabled={!sel || sel.stream === undefined}
        onClick={() => sel && sel.stream !== undefined && showDiagramOf({ kind: sel.kind as 'tcp' | 'udp', stream: sel.stream })}
        title={t('conv.diagramTitle')}
      >
        <Icon name="ladder" />
        {t('toolbar.diagram')}
      </button>
      <button
        type="button"
        className={`btn primary${sel && applied === conversationFilter(sel) ? ' applied' : ''}`}
        disabled={!sel}
        onClick={() => sel && filterOn(sel)}
        title={sel ? t('diagram.applyFilter', { filter: conversationFilter(sel) }) : t('conv.selectFirst')}
      >
        <Icon name="filter" />
        {t('conv.filter')}
      </button>
    </div>
  );

  return (
    <Dialog title={t('conv.title')} icon="conversations" onClose={() => setConversationsOpen(false)} footer={footer} width={1240} height={560} className="conv-dialog">
      <div className="tabs conv-tabs" role="tablist" aria-label="Conversation type">
        {TABS.map(([k, name]) => {
          const n = tables ? tables[k].length : null;
          return (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={tab === k}
              className={`tab${tab === k ? ' active' : ''}`}
              onClick={() => {
                setTab(k);
                setSelected(null);
              }}
            >
              {name}
              {n !== null && <span className={`tab-count${n ? '' : ' zero'}`}>{count(n)}</span>}
            </button>
          );
        })}
      </div>
      <div
        ref={gridRef}
        className="cgrid"
        role="grid"
        aria-label={`${TABS.find((t) => t[0] === tab)![1]} conversations`}
        aria-rowcount={rows.length + 1}
        aria-readonly="true"
        tabIndex={0}
        onKeyDown={onKeyDown}
        style={{ ['--cols' as string]: template, ['--row-min' as string]: `${minWidth}px` }}
      >
        <div className="cgrid-scroll" ref={scrollRef}>
          <div className="crow chead" role="row" aria-rowindex={1}>
            {cols.map((c) => {
              const s = sort?.col === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none';
              return (
                <div key={c.id} role="columnheader" aria-sort={s} className={`ccell${c.num ? ' num' : ''}`}>
                  <button type="button" className="sort-btn" onClick={() => clickHeader(c)} title={`Sort by ${c.title}`}>
                    <span>{c.title}</span>
                    <span className={`sort-mark ${s}`} aria-hidden="true" />
                  </button>
                </div>
              );
            })}
          </div>
          {rows.length === 0 ? (
            <div className="pane-empty">{tables ? 'No conversations of this type.' : 'Counting conversations…'}</div>
          ) : (
            <div className="cgrid-body" role="rowgroup" style={{ height: virt.getTotalSize() }}>
              {virt.getVirtualItems().map((it) => {
                const r = rows[it.index]!;
                const k = rowKey(r);
                const isSel = k === selected;
                return (
                  <div
                    key={k}
                    role="row"
                    aria-rowindex={it.index + 2}
                    aria-selected={isSel}
                    className={`crow${it.index % 2 ? ' odd' : ''}${isSel ? ' selected' : ''}`}
                    style={{ transform: `translateY(${it.start}px)` }}
                    onMouseDown={() => {
                      setSelected(k);
                      gridRef.current?.focus({ preventScroll: true });
                    }}
                    onDoubleClick={() => filterOn(r)}
                    title={conversationFilter(r)}
                  >
                    {cols.map((c) => (
                      <div key={c.id} role="gridcell" className={`ccell${c.num ? ' num' : ''}${c.id.startsWith('addr') ? ' mono' : ''}`}>
                        {cellText(r, c.id)}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
    </Dialog>
  );
}
