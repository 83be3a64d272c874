// Statistics › I/O Graph: packets, bytes or bits per interval over the capture, one series per display
// filter, each with its own colour and style. Clicking a bar or point selects the first packet of that
// interval in that series.
import { useEffect, useMemo, useState } from 'react';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { useStore, selectFrameNumber } from '../store';
import { closeStats, num, requestStats, type Progress } from './state';
import { Chart, type ChartSeries } from './Chart';
import { IO_INTERVALS_MS, defaultIntervalMs, type IoGraphData, type IoUnit } from '../../core/stats/iograph';

interface SeriesRow {
  id: number;
  on: boolean;
  name: string;
  filter: string;
  unit: IoUnit;
  style: 'bar' | 'line' | 'points';
  color: number;
}

export const PALETTE = 6;
const LS = 'wirelens.iograph.v1';

function intervalText(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} d`;
}

function loadRows(): SeriesRow[] {
  try {
    const v = JSON.parse(sessionStorage.getItem(LS) ?? 'null') as SeriesRow[] | null;
    if (Array.isArray(v) && v.length && v.every((r) => typeof r.filter === 'string' && typeof r.name === 'string')) return v;
  } catch {
    /* ignore */
  }
  return [{ id: 1, on: true, name: 'All packets', filter: '', unit: 'packets', style: 'bar', color: 0 }];
}

export function IoGraphDialog() {
  const gen = useStore((s) => s.generation);
  const loadMs = useStore((s) => s.loadMs);
  const selectedFrame = useStore((s) => s.selectedFrame);
  const [rows, setRows] = useState<SeriesRow[]>(loadRows);
  const [applied, setApplied] = useState<SeriesRow[]>(rows);
  const [intervalMs, setIntervalMs] = useState<number | null>(null);
  const [data, setData] = useState<IoGraphData | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);

  // the default interval follows the capture's duration
  useEffect(() => {
    let live = true;
    requestStats({ kind: 'properties' }).then(({ result }) => {
      if (live && result.kind === 'properties') setIntervalMs((ms) => ms ?? defaultIntervalMs(result.props.captured.elapsed));
    }, () => live && setIntervalMs((ms) => ms ?? 1000));
    return () => {
      live = false;
    };
  }, [gen, loadMs]);

  useEffect(() => {
    if (intervalMs === null) return;
    let live = true;
    const on = applied.filter((r) => r.on);
    setProgress(null);
    requestStats({ kind: 'iograph', intervalMs, series: on.map((r) => ({ name: r.name, filter: r.filter, unit: r.unit })) }, (p) => live && setProgress(p))
      .then(({ result }) => live && result.kind === 'iograph' && (setData(result.data), setError(null)))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [gen, loadMs, applied, intervalMs]);

  useEffect(() => {
    try {
      sessionStorage.setItem(LS, JSON.stringify(applied));
    } catch {
      /* ignore */
    }
  }, [applied]);

  const on = applied.filter((r) => r.on);
  const series = useMemo<ChartSeries[]>(() => {
    if (!data || !intervalMs) return [];
    const w = intervalMs / 1000;
    return data.series.map((s, i) => {
      const row = on[i]!;
      const x = s.values.map((_, b) => b * w);
      return {
        id: `s${row.id}`,
        name: s.name || s.filter || 'All packets',
        color: `--ch-${row.color % PALETTE}`,
        kind: row.style,
        x: row.style === 'bar' ? x : x.map((v) => v + w / 2),
        y: s.values,
        frames: s.frames,
        barWidth: w,
      } satisfies ChartSeries;
    });
  }, [data]);

  const errors = data ? data.series.map((s) => s.error) : [];
  const unitOf = on[0]?.unit ?? 'packets';
  const yLabel = `${unitOf === 'packets' ? 'Packets' : unitOf === 'bytes' ? 'Bytes' : 'Bits'}/${intervalMs ? intervalText(intervalMs) : 'interval'}`;
  const dirty = JSON.stringify(rows) !== JSON.stringify(applied);

  const update = (id: number, patch: Partial<SeriesRow>) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const add = () =>
    setRows((rs) => {
      const id = Math.max(0, ...rs.map((r) => r.id)) + 1;
      return [...rs, { id, on: true, name: '', filter: '', unit: rs[0]?.unit ?? 'packets', style: 'line', color: (rs.length % (PALETTE - 1)) + 1 }];
    });

  const tools = (
    <label className="field">
      Interval
      <select aria-label="Interval" value={intervalMs ?? ''} onChange={(e) => setIntervalMs(Number(e.target.value))}>
        {IO_INTERVALS_MS.map((ms) => (
          <option key={ms} value={ms}>
            {intervalText(ms)}
          </option>
        ))}
      </select>
    </label>
  );

  const footer = (
    <div className="conv-foot">
      <span className="conv-status" aria-live="polite">
        {progress && !data && <span className="side-busy" aria-hidden="true" />}
        {error
          ? error
          : data
            ? `${num(data.frames)} packets in ${num(data.buckets)} intervals of ${intervalText(data.intervalMs)}${data.clipped ? ` · ${num(data.clipped)} later packets are beyond the graph: choose a longer interval` : ''}`
            : progress?.loading
              ? 'Waiting for the capture to load…'
              : 'Counting…'}
      </span>
      <span className="dialog-spacer" />
      <span className="stats-hint">Click a bar or point to select its packet · wheel or drag to zoom</span>
    </div>
  );

  return (
    <Dialog title="I/O Graph" onClose={() => closeStats('iograph')} width={1080} height={680} footer={footer} className="stats-dialog io-dialog">
      <Chart
        title="I/O Graph"
        xLabel="Time (s)"
        yLabel={yLabel}
        series={series}
        fileName="wirelens-io-graph"
        onPick={(f) => selectFrameNumber(f)}
        selectedFrame={selectedFrame}
        tools={tools}
        empty="No packets."
      />
      <form
        className="io-series"
        aria-label="Graph series"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(rows);
        }}
      >
        <table className="stats-table io-table">
          <thead>
            <tr>
              <th scope="col">Show</th>
              <th scope="col">Name</th>
              <th scope="col">Display filter</th>
              <th scope="col">Colour</th>
              <th scope="col">Style</th>
              <th scope="col">Y axis</th>
              <th scope="col" aria-label="Remove" />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const appliedIndex = on.findIndex((a) => a.id === r.id);
              const err = appliedIndex >= 0 ? errors[appliedIndex] : undefined;
              // the worker compiles the filters: its message shows once applied
              const bad = !!err && r.filter === on[appliedIndex]?.filter;
              return (
                <tr key={r.id}>
                  <td>
                    <input type="checkbox" checked={r.on} aria-label={`Show series ${r.name || r.id}`} onChange={(e) => update(r.id, { on: e.target.checked })} />
                  </td>
                  <td>
                    <input className="io-name" value={r.name} aria-label="Series name" placeholder="Name" onChange={(e) => update(r.id, { name: e.target.value })} />
                  </td>
                  <td className="io-filter-cell">
                    <input
                      className={`io-filter${bad ? ' bad' : r.filter.trim() ? ' good' : ''}`}
                      value={r.filter}
                      aria-label="Series display filter"
                      aria-invalid={bad}
                      placeholder="all packets"
                      spellCheck={false}
                      title={bad ? err : undefined}
                      onChange={(e) => update(r.id, { filter: e.target.value })}
                    />
                    {bad && (
                      <span className="io-error" role="alert">
                        {err}
                      </span>
                    )}
                  </td>
                  <td>
                    <span className="io-colors" role="radiogroup" aria-label="Colour">
                      {Array.from({ length: PALETTE }, (_, c) => (
                        <button
                          key={c}
                          type="button"
                          role="radio"
                          aria-checked={r.color === c}
                          aria-label={`Colour ${c + 1}`}
                          className={`io-color${r.color === c ? ' on' : ''}`}
                          style={{ background: `var(--ch-${c})` }}
                          onClick={() => update(r.id, { color: c })}
                        />
                      ))}
                    </span>
                  </td>
                  <td>
                    <select aria-label="Style" value={r.style} onChange={(e) => update(r.id, { style: e.target.value as SeriesRow['style'] })}>
                      <option value="bar">Bar</option>
                      <option value="line">Line</option>
                      <option value="points">Dot</option>
                    </select>
                  </td>
                  <td>
                    <select aria-label="Y axis" value={r.unit} onChange={(e) => update(r.id, { unit: e.target.value as IoUnit })}>
                      <option value="packets">Packets</option>
                      <option value="bytes">Bytes</option>
                      <option value="bits">Bits</option>
                    </select>
                  </td>
                  <td>
                    <button type="button" className="btn ghost" aria-label="Remove series" title="Remove this series" disabled={rows.length === 1} onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}>
                      <Icon name="clear" />
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="io-actions">
          <button type="button" className="btn" onClick={add}>
            + Add series
          </button>
          <span className="dialog-spacer" />
          <button type="submit" className={`btn primary${dirty ? '' : ' applied'}`} disabled={!dirty}>
            <Icon name="check" />
            Apply
          </button>
        </div>
      </form>
    </Dialog>
  );
}
