// Statistics › Endpoints: Ethernet, IPv4, IPv6, TCP and UDP endpoints with packets and bytes in total,
// sent and received (as tshark -z endpoints counts them), sortable by any column; a row can be applied
// as a filter.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { copyText } from '../diagram/export';
import { useStore, applyFilterText } from '../store';
import { closeStats, num, requestStats, type Progress } from './state';
import { endpointFilter, type EndpointKind, type EndpointRow, type EndpointTables } from '../../core/stats/endpoints';

const ROW_H = 22;
const TABS: [EndpointKind, string][] = [
  ['eth', 'Ethernet'],
  ['ipv4', 'IPv4'],
  ['ipv6', 'IPv6'],
  ['tcp', 'TCP'],
  ['udp', 'UDP'],
];

type ColId = 'addr' | 'port' | 'packets' | 'bytes' | 'txPackets' | 'txBytes' | 'rxPackets' | 'rxBytes';
const COLS: { id: ColId; title: string; width: number; num: boolean; ported?: boolean }[] = [
  { id: 'addr', title: 'Address', width: 260, num: false },
  { id: 'port', title: 'Port', width: 70, num: true, ported: true },
  { id: 'packets', title: 'Packets', width: 84, num: true },
  { id: 'bytes', title: 'Bytes', width: 100, num: true },
  { id: 'txPackets', title: 'Tx Packets', width: 96, num: true },
  { id: 'txBytes', title: 'Tx Bytes', width: 100, num: true },
  { id: 'rxPackets', title: 'Rx Packets', width: 96, num: true },
  { id: 'rxBytes', title: 'Rx Bytes', width: 100, num: true },
];

function addrKey(a: string): string {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(a)) return '4' + a.split('.').map((x) => x.padStart(3, '0')).join('');
  return '9' + a;
}

export function EndpointsDialog() {
  const gen = useStore((s) => s.generation);
  const loadMs = useStore((s) => s.loadMs);
  const applied = useStore((s) => s.appliedFilter);
  const [tables, setTables] = useState<EndpointTables | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<EndpointKind>('ipv4');
  const [sort, setSort] = useState<{ col: ColId; desc: boolean } | null>({ col: 'packets', desc: true });
  const [sel, setSel] = useState<string | null>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let live = true;
    setTables(null);
    requestStats({ kind: 'endpoints' }, (p) => live && setProgress(p))
      .then(({ result }) => {
        if (!live || result.kind !== 'endpoints') return;
        setTables(result.tables);
        // open on the first tab that has endpoints, preferring IPv4
        if (!result.tables.ipv4.length) setTab((t) => (result.tables[t].length ? t : (TABS.find(([k]) => result.tables[k].length)?.[0] ?? t)));
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [gen, loadMs]);

  const ported = tab === 'tcp' || tab === 'udp';
  const cols = COLS.filter((c) => ported || !c.ported);
  const key = (r: EndpointRow) => `${r.addr}|${r.port ?? ''}`;
  const rows = useMemo(() => {
    const list = tables ? [...tables[tab]] : [];
    if (sort) {
      const k = (r: EndpointRow) => (sort.col === 'addr' ? addrKey(r.addr) : (r[sort.col] ?? -1));
      list.sort((a, b) => {
        const x = k(a);
        const y = k(b);
        const c = x < y ? -1 : x > y ? 1 : 0;
        return sort.desc ? -c : c;
      });
    }
    return list;
  }, [tables, tab, sort]);
  const selIndex = sel ? rows.findIndex((r) => key(r) === sel) : -1;
  const selRow = selIndex >= 0 ? rows[selIndex]! : null;

  const virt = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 12 });
  useEffect(() => {
    if (selIndex >= 0) virt.scrollToIndex(selIndex, { align: 'auto' });
  }, [selIndex]);

  const template = cols.map((c, i) => (i === 0 ? `minmax(${c.width}px, 1fr)` : `${c.width}px`)).join(' ');
  const minWidth = cols.reduce((a, c) => a + c.width, 0);

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!rows.length) return;
    let next = selIndex;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, selIndex + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, selIndex - 1);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'Enter' && selRow) {
      e.preventDefault();
      applyFilterText(endpointFilter(selRow));
      return;
    } else return;
    e.preventDefault();
    setSel(key(rows[next]!));
  };

  const csv = () => {
    const head = cols.map((c) => c.title);
    const body = rows.map((r) => cols.map((c) => String(r[c.id] ?? '')));
    return [head, ...body].map((l) => l.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\n') + '\n';
  };

  const tabName = TABS.find((t) => t[0] === tab)![1];
  const footer = (
    <div className="conv-foot">
      <span className="conv-status" aria-live="polite">
        {!tables && !error && <span className="side-busy" aria-hidden="true" />}
        {tables
          ? `${num(rows.length)} ${tabName} endpoint${rows.length === 1 ? '' : 's'}`
          : progress?.loading
            ? 'Waiting for the capture to load…'
            : progress
              ? `Counting… ${num(progress.done)} of ${num(progress.total)} packets`
              : 'Counting…'}
      </span>
      <span className="dialog-spacer" />
      <button type="button" className="btn" disabled={!rows.length} onClick={() => void copyText(csv())}>
        <Icon name="copy" />
        Copy as CSV
      </button>
      <button
        type="button"
        className={`btn primary${selRow && applied === endpointFilter(selRow) ? ' applied' : ''}`}
        disabled={!selRow}
        onClick={() => selRow && applyFilterText(endpointFilter(selRow))}
        title={selRow ? `Apply the display filter “${endpointFilter(selRow)}”` : 'Select an endpoint first'}
      >
        <Icon name="filter" />
        Filter on this endpoint
      </button>
    </div>
  );

  return (
    <Dialog title="Endpoints" onClose={() => closeStats('endpoints')} width={1000} height={520} footer={footer} className="stats-dialog">
      {error && <p className="stats-error">{error}</p>}
      <div className="tabs conv-tabs" role="tablist" aria-label="Endpoint type">
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
                setSel(null);
              }}
            >
              {name}
              {n !== null && <span className={`tab-count${n ? '' : ' zero'}`}>{num(n)}</span>}
            </button>
          );
        })}
      </div>
      <div
        ref={gridRef}
        className="cgrid"
        role="grid"
        aria-label={`${tabName} endpoints`}
        aria-rowcount={rows.length + 1}
        aria-readonly="true"
        tabIndex={0}
        onKeyDown={onKey}
        style={{ ['--cols' as string]: template, ['--row-min' as string]: `${minWidth}px` }}
      >
        <div className="cgrid-scroll" ref={scrollRef}>
          <div className="crow chead" role="row" aria-rowindex={1}>
            {cols.map((c) => {
              const s = sort?.col === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none';
              return (
                <div key={c.id} role="columnheader" aria-sort={s} className={`ccell${c.num ? ' num' : ''}`}>
                  <button type="button" className="sort-btn" onClick={() => setSort((o) => (o && o.col === c.id ? { col: c.id, desc: !o.desc } : { col: c.id, desc: c.num }))}>
                    <span>{c.title}</span>
                    <span className={`sort-mark ${s}`} aria-hidden="true" />
                  </button>
                </div>
              );
            })}
          </div>
          {rows.length === 0 ? (
            <div className="pane-empty">{tables ? 'No endpoints of this type.' : 'Counting endpoints…'}</div>
          ) : (
            <div className="cgrid-body" role="rowgroup" style={{ height: virt.getTotalSize() }}>
              {virt.getVirtualItems().map((it) => {
                const r = rows[it.index]!;
                const k = key(r);
                return (
                  <div
                    key={k}
                    role="row"
                    aria-rowindex={it.index + 2}
                    aria-selected={k === sel}
                    className={`crow${it.index % 2 ? ' odd' : ''}${k === sel ? ' selected' : ''}`}
                    style={{ transform: `translateY(${it.start}px)` }}
                    onMouseDown={() => {
                      setSel(k);
                      gridRef.current?.focus({ preventScroll: true });
                    }}
                    onDoubleClick={() => applyFilterText(endpointFilter(r))}
                    title={endpointFilter(r)}
                  >
                    {cols.map((c) => (
                      <div key={c.id} role="gridcell" className={`ccell${c.num ? ' num' : ''}${c.id === 'addr' ? ' mono' : ''}`}>
                        {c.id === 'addr' ? r.addr : c.id === 'port' ? (r.port ?? '') : num(r[c.id])}
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
