// Dev-only harness for the sequence diagram: open /src/ui/diagram/demo.html with `npx vite`.
// Query: ?set=httpGet|refused|tlsHello|zeroWindow|udpHello|ping|big  &theme=light|dark  &select=N  &mode=even
import { StrictMode, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { buildLadder, type LadderPacket } from '../../core/analysis/ladder';
import { SequenceDiagram } from './SequenceDiagram';
import { DEMO_SETS } from './demo-data';
import '../styles.css';

/** A long synthetic bulk transfer (for scrolling 100k arrows), with some analysis findings sprinkled in. */
function bigStream(n: number): LadderPacket[] {
  const C = ['10.1.0.5', 51200] as const;
  const S = ['10.1.0.9', 443] as const;
  const out: LadderPacket[] = [];
  const mk = (i: number, t: number, c2s: boolean, flags: number, seq: number, ack: number, len: number, extra: Partial<LadderPacket> = {}) =>
    out.push({
      frame: i,
      timeSec: t,
      srcAddr: c2s ? C[0] : S[0],
      srcPort: c2s ? C[1] : S[1],
      dstAddr: c2s ? S[0] : C[0],
      dstPort: c2s ? S[1] : C[1],
      transport: 'tcp',
      flags,
      seq,
      ack,
      seqRaw: (seq + (c2s ? 1000 : 5000)) >>> 0,
      ackRaw: (ack + (c2s ? 5000 : 1000)) >>> 0,
      len,
      win: 64240,
      stream: 7,
      ...extra,
    });
  let t = 0;
  mk(1, t, true, 0x002, 0, 0, 0, { options: { mss: 1460, ws: 7, sackPerm: true, ts: { val: 1, ecr: 0 } } });
  mk(2, (t += 0.0121), false, 0x012, 0, 1, 0, { options: { mss: 1460, ws: 7, sackPerm: true, ts: { val: 9, ecr: 1 } } });
  mk(3, (t += 0.0001), true, 0x010, 1, 1, 0);
  mk(4, (t += 0.0002), true, 0x018, 1, 1, 517, { app: 'Client Hello' });
  let ss = 1;
  let f = 5;
  while (f < n - 3) {
    for (let k = 0; k < 4 && f < n - 3; k++) {
      const badges = f % 997 === 0 ? (['retransmission'] as const) : f % 1499 === 0 ? (['out_of_order'] as const) : undefined;
      mk(f++, (t += 0.00002 + (k === 0 ? 0.0119 : 0)), false, 0x010, ss, 518, 1448, badges ? { badges: [...badges] } : {});
      ss += 1448;
    }
    mk(f++, (t += 0.00004), true, 0x010, 518, ss, 0, f % 2003 < 2 ? { badges: ['dup_ack'] } : {});
  }
  mk(f++, (t += 0.001), true, 0x011, 518, ss, 0);
  mk(f++, (t += 0.012), false, 0x011, ss, 519, 0);
  mk(f++, (t += 0.0001), true, 0x010, 519, ss + 1, 0);
  return out;
}

const params = new URLSearchParams(location.search);
document.documentElement.dataset.theme = params.get('theme') === 'dark' ? 'dark' : 'light';

function Demo() {
  const [setName, setSetName] = useState(params.get('set') ?? 'httpGet');
  const [selected, setSelected] = useState<number | null>(params.has('select') ? Number(params.get('select')) : null);
  const [theme, setTheme] = useState(document.documentElement.dataset.theme!);
  const packets = useMemo(() => (setName === 'big' ? bigStream(100_000) : (DEMO_SETS[setName] ?? DEMO_SETS.httpGet!).packets), [setName]);
  const model = useMemo(() => buildLadder(packets), [packets]);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <div
        hidden={params.has('bare')}
        style={{
          display: params.has('bare') ? 'none' : 'flex',
          gap: 12,
          alignItems: 'center',
          padding: '6px 12px',
          borderBottom: '1px solid var(--border)',
          background: 'var(--bg-chrome-2)',
          fontSize: 12,
        }}
      >
        <strong>Sequence diagram harness</strong>
        <select value={setName} onChange={(e) => (setSetName(e.target.value), setSelected(null))}>
          {Object.entries(DEMO_SETS).map(([k, v]) => (
            <option key={k} value={k}>
              {v.title} ({v.file})
            </option>
          ))}
          <option value="big">Synthetic bulk transfer, 100 000 packets</option>
        </select>
        <button
          type="button"
          onClick={() => {
            const t = theme === 'dark' ? 'light' : 'dark';
            document.documentElement.dataset.theme = t;
            setTheme(t);
          }}
        >
          Theme: {theme}
        </button>
        <span style={{ color: 'var(--text-muted)' }}>selected frame: {selected ?? '—'}</span>
      </div>
      <div style={{ flex: 1, minHeight: 0 }}>
        <SequenceDiagram
          key={setName}
          model={model}
          selectedFrame={selected}
          onSelectFrame={setSelected}
          options={{ timeMode: params.get('mode') === 'even' ? 'even' : 'proportional' }}
        />
      </div>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Demo />
  </StrictMode>,
);
