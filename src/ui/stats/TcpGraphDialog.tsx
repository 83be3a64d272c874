// Statistics › TCP Stream Graphs for one direction of a TCP stream: Stevens (sequence number over time),
// tcptrace (segments as bars, the ACK line and the receive window above it, SACK blocks), throughput,
// round-trip time and window scaling. Retransmissions are drawn apart (red crosses / red bars) and counted
// in the legend. Slow start, loss recovery and flow control become visible; a click selects the packet.
import { useEffect, useMemo, useState } from 'react';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { useStore, selectFrameNumber } from '../store';
import { closeStats, num, requestStats, si } from './state';
import { Chart, type ChartSeries } from './Chart';
import type { TcpGraphData, TcpSegment } from '../../core/stats/tcp-graph';

type GraphType = 'stevens' | 'tcptrace' | 'throughput' | 'rtt' | 'window';
const TYPES: [GraphType, string][] = [
  ['stevens', 'Stevens'],
  ['tcptrace', 'tcptrace'],
  ['throughput', 'Throughput'],
  ['rtt', 'Round Trip Time'],
  ['window', 'Window Scaling'],
];

const isRetrans = (s: TcpSegment) => s.mark === 'retransmission' || s.mark === 'fast_retransmission' || s.mark === 'spurious_retransmission';
const SYN = 0x02;
const FIN = 0x01;

function pick<T>(list: T[], f: (t: T) => number): number[] {
  return list.map(f);
}

export function buildSeries(d: TcpGraphData, type: GraphType): { series: ChartSeries[]; xLabel: string; yLabel: string; yFormat?: (v: number) => string } {
  const data = d.segments.filter((s) => s.len > 0 || s.flags & (SYN | FIN));
  const normal = data.filter((s) => !isRetrans(s));
  const re = data.filter(isRetrans);
  const retransSeries = (y: (s: TcpSegment) => number): ChartSeries => ({
    id: 'retrans',
    name: `Retransmissions (${re.length})`,
    color: '--ch-bad',
    kind: 'cross',
    x: pick(re, (s) => s.t),
    y: pick(re, y),
    frames: pick(re, (s) => s.frame),
  });
  switch (type) {
    case 'stevens':
      return {
        xLabel: 'Time (s)',
        yLabel: 'Sequence number (B)',
        series: [
          { id: 'segments', name: `Segments (${normal.length})`, color: '--ch-0', kind: 'points', x: pick(normal, (s) => s.t), y: pick(normal, (s) => s.seq), frames: pick(normal, (s) => s.frame) },
          retransSeries((s) => s.seq),
        ],
      };
    case 'tcptrace': {
      const acks = d.acks;
      const sackX: number[] = [];
      const sackY0: number[] = [];
      const sackY: number[] = [];
      const sackF: number[] = [];
      for (const a of acks)
        for (const [l, r] of a.sack) {
          sackX.push(a.t);
          sackY0.push(l);
          sackY.push(r);
          sackF.push(a.frame);
        }
      return {
        xLabel: 'Time (s)',
        yLabel: 'Sequence number (B)',
        series: [
          { id: 'segments', name: `Segments (${normal.length})`, color: '--ch-0', kind: 'ibar', x: pick(normal, (s) => s.t), y0: pick(normal, (s) => s.seq), y: pick(normal, (s) => s.seq + Math.max(1, s.len)), frames: pick(normal, (s) => s.frame) },
          { id: 'retrans', name: `Retransmissions (${re.length})`, color: '--ch-bad', kind: 'ibar', x: pick(re, (s) => s.t), y0: pick(re, (s) => s.seq), y: pick(re, (s) => s.seq + Math.max(1, s.len)), frames: pick(re, (s) => s.frame) },
          { id: 'ack', name: 'ACK', color: '--ch-1', kind: 'step', x: pick(acks, (a) => a.t), y: pick(acks, (a) => a.ack), frames: pick(acks, (a) => a.frame) },
          { id: 'rwin', name: 'Receive window', color: '--ch-2', kind: 'step', x: pick(acks, (a) => a.t), y: pick(acks, (a) => a.ack + a.win), frames: pick(acks, (a) => a.frame) },
          ...(sackX.length ? [{ id: 'sack', name: `SACK (${sackX.length})`, color: '--ch-3', kind: 'ibar' as const, x: sackX, y0: sackY0, y: sackY, frames: sackF }] : []),
        ],
      };
    }
    case 'throughput':
      return {
        xLabel: 'Time (s)',
        yLabel: `Throughput (bits/s, average of ${d.maWindow} segments)`,
        yFormat: (v) => si(v, '').trim(),
        series: [
          { id: 'tput', name: 'Throughput', color: '--ch-0', kind: 'points', x: pick(d.throughput, (p) => p.t), y: pick(d.throughput, (p) => p.bps), frames: pick(d.throughput, (p) => p.frame) },
          { id: 'goodput', name: 'Goodput', color: '--ch-1', kind: 'line', x: pick(d.throughput, (p) => p.t), y: pick(d.throughput, (p) => p.goodput), frames: pick(d.throughput, (p) => p.frame) },
          {
            id: 'seglen',
            name: 'Segment length (B)',
            color: '--ch-4',
            kind: 'points',
            x: pick(data, (s) => s.t),
            y: pick(data, (s) => s.len * 8),
            frames: pick(data, (s) => s.frame),
            quiet: true,
          },
        ],
      };
    case 'rtt':
      return {
        xLabel: 'Sequence number (B)',
        yLabel: 'Round-trip time (ms)',
        series: [{ id: 'rtt', name: `RTT (${d.rtt.length})`, color: '--ch-0', kind: 'points', x: pick(d.rtt, (r) => r.seq), y: pick(d.rtt, (r) => r.rtt * 1000), frames: pick(d.rtt, (r) => r.frame) }],
      };
    case 'window': {
      const inflight = d.segments.filter((s) => s.inFlight !== undefined);
      return {
        xLabel: 'Time (s)',
        yLabel: 'Bytes',
        series: [
          { id: 'rwin', name: 'Receive window', color: '--ch-2', kind: 'step', x: pick(d.acks, (a) => a.t), y: pick(d.acks, (a) => a.win), frames: pick(d.acks, (a) => a.frame) },
          { id: 'inflight', name: 'Bytes in flight', color: '--ch-0', kind: 'points', x: pick(inflight, (s) => s.t), y: pick(inflight, (s) => s.inFlight!), frames: pick(inflight, (s) => s.frame) },
        ],
      };
    }
  }
}

export function TcpGraphDialog() {
  const gen = useStore((s) => s.generation);
  const loadMs = useStore((s) => s.loadMs);
  const selectedFrame = useStore((s) => s.selectedFrame);
  const [type, setType] = useState<GraphType>('stevens');
  // the stream asked for: the selected packet's at first
  const [target, setTarget] = useState<{ frame?: number; stream?: number; dir?: 0 | 1 }>(() => ({ frame: useStore.getState().selectedFrame || undefined }));
  const [data, setData] = useState<TcpGraphData | null>(null);
  const [streams, setStreams] = useState(0);
  const [reason, setReason] = useState<string | null>(null);
  const [streamText, setStreamText] = useState('');

  useEffect(() => {
    let live = true;
    requestStats({ kind: 'tcpgraph', ...target })
      .then(({ result }) => {
        if (!live || result.kind !== 'tcpgraph') return;
        setStreams(result.streams);
        setData(result.data);
        setReason(result.reason ?? null);
        if (result.data) setStreamText(String(result.data.stream));
      })
      .catch((e: Error) => live && setReason(e.message));
    return () => {
      live = false;
    };
  }, [target, gen, loadMs]);

  const built = useMemo(() => (data ? buildSeries(data, type) : null), [data, type]);
  const retrans = data ? data.segments.filter(isRetrans).length : 0;
  const title = `${TYPES.find((t) => t[0] === type)![1]} graph`;

  const goStream = (n: number) => {
    if (Number.isInteger(n) && n >= 0 && n < Math.max(1, streams)) setTarget({ stream: n });
  };

  const tools = (
    <>
      <div className="seg" role="radiogroup" aria-label="Graph type">
        {TYPES.map(([k, name]) => (
          <button key={k} type="button" role="radio" aria-checked={type === k} className={type === k ? 'on' : ''} onClick={() => setType(k)}>
            {name}
          </button>
        ))}
      </div>
      <label className="field">
        Stream
        <input
          className="stream-input"
          type="number"
          min={0}
          max={Math.max(0, streams - 1)}
          value={streamText}
          aria-label="TCP stream"
          onChange={(e) => {
            setStreamText(e.target.value);
            goStream(Number(e.target.value));
          }}
        />
      </label>
      <button
        type="button"
        className="btn ghost"
        disabled={!data}
        title="Graph the other direction of this stream"
        onClick={() => data && setTarget({ stream: data.stream, dir: data.dir ? 0 : 1 })}
      >
        Switch direction
      </button>
      <button type="button" className="btn ghost" disabled={!selectedFrame} title="Graph the stream of the selected packet" onClick={() => setTarget({ frame: selectedFrame })}>
        Selected packet
      </button>
    </>
  );

  const footer = (
    <div className="conv-foot">
      <span className="conv-status" aria-live="polite">
        {data
          ? `${data.from} → ${data.to} · ${num(data.segments.length)} segments, ${num(data.bytes)} bytes${retrans ? ` · ${num(retrans)} retransmitted (${num(data.retransmittedBytes)} bytes)` : ''}`
          : (reason ?? 'Reading…')}
      </span>
      <span className="dialog-spacer" />
      <span className="stats-hint">Wheel, Shift+wheel or drag to zoom · double-click or Reset to see all · click selects the packet</span>
    </div>
  );

  return (
    <Dialog
      title={data ? `TCP Stream Graph · stream ${data.stream} · ${data.from} → ${data.to}` : 'TCP Stream Graphs'}
      icon="ladder"
      onClose={() => closeStats('tcpgraph')}
      width={1100}
      height={640}
      footer={footer}
      className="stats-dialog tcp-dialog"
    >
      {built ? (
        <Chart
          title={`${title}: stream ${data!.stream}, ${data!.from} → ${data!.to}`}
          xLabel={built.xLabel}
          yLabel={built.yLabel}
          yFormat={built.yFormat}
          series={built.series}
          fileName={`wirelens-tcp-stream-${data!.stream}-${type}`}
          onPick={(f) => selectFrameNumber(f)}
          selectedFrame={selectedFrame}
          tools={tools}
          yFromZero={type !== 'stevens' && type !== 'tcptrace'}
          empty="No segments in this direction."
        />
      ) : (
        <div className="chart-root">
          <div className="chart-tools">{tools}</div>
          <div className="pane-empty">
            <Icon name="info" /> {reason ?? 'Reading…'}
          </div>
        </div>
      )}
    </Dialog>
  );
}
