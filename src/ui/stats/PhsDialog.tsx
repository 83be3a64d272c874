// Statistics › Protocol Hierarchy: the tree of protocol layers with the share of packets and bytes each
// carries (as tshark -z io,phs counts them), the packets that end at a layer, and a filter per layer.
import { useEffect, useMemo, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { copyText } from '../diagram/export';
import { useStore, applyFilterText } from '../store';
import { closeStats, num, requestStats, si, type Progress } from './state';
import type { PhsNode } from '../../core/stats/phs';

interface Row {
  key: string;
  node: PhsNode;
  depth: number;
  parent: string | null;
  endFrames: number;
  endBytes: number;
}

function flatten(nodes: PhsNode[], depth = 0, parent: string | null = null, out: Row[] = []): Row[] {
  for (const n of nodes) {
    const key = parent ? `${parent}/${n.abbrev}` : n.abbrev;
    const cf = n.children.reduce((a, c) => a + c.frames, 0);
    const cb = n.children.reduce((a, c) => a + c.bytes, 0);
    out.push({ key, node: n, depth, parent, endFrames: Math.max(0, n.frames - cf), endBytes: Math.max(0, n.bytes - cb) });
    flatten(n.children, depth + 1, key, out);
  }
  return out;
}

/** The display filter of a layer: its protocol name (tcp.segments and the like have no protocol of their own). */
function layerFilter(abbrev: string): string {
  return abbrev === 'pkt_comment' ? 'frame.comment' : abbrev;
}

function pct(a: number, b: number): string {
  return b ? `${((a / b) * 100).toFixed(1)}` : '0.0';
}

export function PhsDialog() {
  const gen = useStore((s) => s.generation);
  const loadMs = useStore((s) => s.loadMs);
  const [data, setData] = useState<{ tree: PhsNode[]; frames: number; bytes: number; seconds: number } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [sel, setSel] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setData(null);
    requestStats({ kind: 'phs' }, (p) => live && setProgress(p))
      .then(async ({ result }) => {
        if (!live || result.kind !== 'phs') return;
        // the capture's duration for the bits/s column
        const props = await requestStats({ kind: 'properties' });
        const seconds = props.result.kind === 'properties' ? props.result.props.captured.elapsed : 0;
        if (live) setData({ tree: result.tree, frames: result.frames, bytes: result.bytes, seconds });
      })
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [gen, loadMs]);

  const all = useMemo(() => (data ? flatten(data.tree) : []), [data]);
  const rows = useMemo(() => {
    const out: Row[] = [];
    for (const r of all) {
      let hiddenBy = false;
      for (let p = r.parent; p; p = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : null) if (collapsed.has(p)) hiddenBy = true;
      if (!hiddenBy) out.push(r);
    }
    return out;
  }, [all, collapsed]);
  const selRow = rows.find((r) => r.key === sel) ?? null;

  const toggle = (key: string) => {
    const c = new Set(collapsed);
    if (c.has(key)) c.delete(key);
    else c.add(key);
    setCollapsed(c);
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const i = rows.findIndex((r) => r.key === sel);
    const r = rows[i];
    if (e.key === 'ArrowDown') setSel(rows[Math.min(rows.length - 1, i + 1)]?.key ?? null);
    else if (e.key === 'ArrowUp') setSel(rows[Math.max(0, i - 1)]?.key ?? null);
    else if (e.key === 'ArrowRight' && r && r.node.children.length && collapsed.has(r.key)) toggle(r.key);
    else if (e.key === 'ArrowLeft' && r) {
      if (r.node.children.length && !collapsed.has(r.key)) toggle(r.key);
      else if (r.parent) setSel(r.parent);
    } else if (e.key === 'Enter' && r) applyFilterText(layerFilter(r.node.abbrev));
    else return;
    e.preventDefault();
  };

  const text = () => {
    if (!data) return '';
    const lines = ['Protocol\tPercent Packets\tPackets\tPercent Bytes\tBytes\tBits/s\tEnd Packets\tEnd Bytes'];
    for (const r of all) {
      lines.push(
        [
          '  '.repeat(r.depth) + r.node.name,
          pct(r.node.frames, data.frames),
          r.node.frames,
          pct(r.node.bytes, data.bytes),
          r.node.bytes,
          data.seconds > 0 ? Math.round((r.node.bytes * 8) / data.seconds) : '',
          r.endFrames,
          r.endBytes,
        ].join('\t'),
      );
    }
    return lines.join('\n') + '\n';
  };

  const footer = (
    <div className="conv-foot">
      <span className="conv-status" aria-live="polite">
        {!data && !error && <span className="side-busy" aria-hidden="true" />}
        {data
          ? `${num(data.frames)} packets · ${num(data.bytes)} bytes`
          : progress?.loading
            ? 'Waiting for the capture to load…'
            : progress
              ? `Counting… ${num(progress.done)} of ${num(progress.total)} packets`
              : 'Counting…'}
      </span>
      <span className="dialog-spacer" />
      <button type="button" className="btn" disabled={!data} onClick={() => void copyText(text())}>
        <Icon name="copy" />
        Copy as text
      </button>
      <button
        type="button"
        className="btn primary"
        disabled={!selRow}
        onClick={() => selRow && applyFilterText(layerFilter(selRow.node.abbrev))}
        title={selRow ? `Apply the display filter “${layerFilter(selRow.node.abbrev)}”` : 'Select a protocol first'}
      >
        <Icon name="filter" />
        Apply as Filter
      </button>
    </div>
  );

  return (
    <Dialog title="Protocol Hierarchy Statistics" onClose={() => closeStats('phs')} width={1080} height={520} footer={footer} className="stats-dialog">
      {error && <p className="stats-error">{error}</p>}
      <div className="cgrid phs-grid" role="treegrid" aria-label="Protocol hierarchy" tabIndex={0} onKeyDown={onKey} aria-readonly="true">
        <div className="cgrid-scroll">
          <div className="crow chead" role="row">
            {['Protocol', 'Percent Packets', 'Packets', 'Percent Bytes', 'Bytes', 'Bits/s', 'End Packets', 'End Bytes'].map((h, i) => (
              <div key={h} role="columnheader" className={`ccell${i ? ' num' : ''}`}>
                <span className="phs-head">{h}</span>
              </div>
            ))}
          </div>
          {data &&
            rows.map((r, i) => {
              const open = !collapsed.has(r.key);
              const kids = r.node.children.length > 0;
              return (
                <div
                  key={r.key}
                  role="row"
                  aria-level={r.depth + 1}
                  aria-expanded={kids ? open : undefined}
                  aria-selected={r.key === sel}
                  data-protocol={r.node.abbrev}
                  className={`crow${i % 2 ? ' odd' : ''}${r.key === sel ? ' selected' : ''}`}
                  onMouseDown={() => setSel(r.key)}
                  onDoubleClick={() => applyFilterText(layerFilter(r.node.abbrev))}
                  title={`Filter: ${layerFilter(r.node.abbrev)}`}
                >
                  <div role="gridcell" className="ccell phs-name" style={{ paddingLeft: 6 + r.depth * 16 }}>
                    {kids ? (
                      <button type="button" className={`phs-twisty${open ? ' open' : ''}`} aria-label={open ? 'Collapse' : 'Expand'} tabIndex={-1} onClick={() => toggle(r.key)}>
                        <Icon name="chevron" />
                      </button>
                    ) : (
                      <span className="phs-twisty" />
                    )}
                    <span>{r.node.name}</span>
                    <span className="phs-abbrev">{r.node.abbrev}</span>
                  </div>
                  <div role="gridcell" className="ccell num phs-pct">
                    <span className="phs-bar" style={{ width: `${pct(r.node.frames, data.frames)}%` }} aria-hidden="true" />
                    <span className="phs-pct-text">{pct(r.node.frames, data.frames)}</span>
                  </div>
                  <div role="gridcell" className="ccell num" data-col="packets">
                    {num(r.node.frames)}
                  </div>
                  <div role="gridcell" className="ccell num phs-pct">
                    <span className="phs-bar bytes" style={{ width: `${pct(r.node.bytes, data.bytes)}%` }} aria-hidden="true" />
                    <span className="phs-pct-text">{pct(r.node.bytes, data.bytes)}</span>
                  </div>
                  <div role="gridcell" className="ccell num" data-col="bytes">
                    {num(r.node.bytes)}
                  </div>
                  <div role="gridcell" className="ccell num">
                    {data.seconds > 0 ? si((r.node.bytes * 8) / data.seconds, '') : '—'}
                  </div>
                  <div role="gridcell" className="ccell num">
                    {num(r.endFrames)}
                  </div>
                  <div role="gridcell" className="ccell num">
                    {num(r.endBytes)}
                  </div>
                </div>
              );
            })}
        </div>
      </div>
    </Dialog>
  );
}
