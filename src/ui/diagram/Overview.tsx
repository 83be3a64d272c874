// The overview strip beside the diagram: every packet as a tick (client→server on the left half,
// server→client on the right, analysis findings in their colour), phases along the edge, and the
// visible window; click or drag to jump.
import { useEffect, useRef, useState } from 'react';
import { badgeInfo, type LadderModel, type TimeMode } from '../../core/analysis/ladder';
import { HEADER_H } from './scene';

export interface OverviewProps {
  model: LadderModel;
  timeMode: TimeMode;
  height: number;
  /** scroll height of the diagram (header included) */
  contentHeight: number;
  scrollTop: number;
  viewHeight: number;
  selectedIndex: number;
  onJump: (scrollTop: number) => void;
}

const W = 18;
const PAD = 4;

function useThemeVersion(): number {
  const [v, setV] = useState(0);
  useEffect(() => {
    const mo = new MutationObserver(() => setV((x) => x + 1));
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
    return () => mo.disconnect();
  }, []);
  return v;
}

export function Overview(p: OverviewProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const theme = useThemeVersion();
  const h = Math.max(0, p.height);
  const inner = Math.max(1, h - PAD * 2);
  // long diagrams are squeezed into the strip; short ones are drawn at their own scale
  const scale = Math.min(1, inner / Math.max(1, p.contentHeight));

  useEffect(() => {
    const c = ref.current;
    if (!c || h <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    c.width = W * dpr;
    c.height = h * dpr;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, h);
    const cs = getComputedStyle(c);
    const col = (name: string, fb: string) => cs.getPropertyValue(name).trim() || fb;
    const c2s = col('--ld-c2s', '#2458c9');
    const s2c = col('--ld-s2c', '#0b7d6e');
    const tones: Record<string, string> = {
      bad: col('--ld-badge-bad', '#d64541'),
      dup: col('--ld-badge-dup', '#e8710a'),
      zero: col('--ld-badge-zero', '#c2288f'),
      ooo: col('--ld-badge-ooo', '#c99400'),
      info: col('--ld-badge-info', '#5b6b82'),
    };
    const phases: Record<string, string> = {
      handshake: col('--ld-ph-handshake', '#2563eb'),
      data: col('--ld-ph-data', '#15803d'),
      release: col('--ld-ph-release', '#c2410c'),
      reset: col('--ld-ph-reset', '#c92a2a'),
    };
    const L = p.model.layouts[p.timeMode];
    const y = (ly: number) => PAD + (HEADER_H + ly) * scale;
    // phases along the left edge
    p.model.phases.forEach((ph, j) => {
      const [t, b] = L.phaseY[j]!;
      ctx.fillStyle = phases[ph.kind]!;
      ctx.globalAlpha = 0.85;
      ctx.fillRect(0, y(t), 2, Math.max(1, y(b) - y(t)));
    });
    ctx.globalAlpha = 1;
    // one tick per pixel row and direction: aggregate first (100k packets stay cheap)
    const rowsPx = Math.ceil(h) + 1;
    const dir = new Uint8Array(rowsPx); // bit 1: c2s, bit 2: s2c
    const mark = new Array<string | undefined>(rowsPx);
    const n = p.model.rows.length;
    for (let i = 0; i < n; i++) {
      const py = Math.floor(y(L.yCap[i]!));
      if (py < 0 || py >= rowsPx) continue;
      const r = p.model.rows[i]!;
      dir[py]! |= r.from === 0 ? 1 : 2;
      const b = r.packet.badges;
      if (b?.length) {
        const tone = b.map((k) => badgeInfo(k).tone).sort((x, z) => order(x) - order(z))[0]!;
        if (!mark[py] || order(tone) < order(markTone(mark[py]!, tones))) mark[py] = tones[tone];
      }
    }
    const half = (W - 4) / 2;
    for (let py = 0; py < rowsPx; py++) {
      const d = dir[py]!;
      if (!d) continue;
      ctx.globalAlpha = 0.75;
      if (d & 1) {
        ctx.fillStyle = c2s;
        ctx.fillRect(3, py, half - 0.5, 1);
      }
      if (d & 2) {
        ctx.fillStyle = s2c;
        ctx.fillRect(3 + half + 0.5, py, half - 0.5, 1);
      }
      const m = mark[py];
      if (m) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = m;
        ctx.fillRect(3, py - 0.5, W - 4, 2);
      }
    }
    ctx.globalAlpha = 1;
    if (p.selectedIndex >= 0) {
      ctx.fillStyle = col('--ld-accent', '#1f5fc9');
      ctx.fillRect(0, Math.floor(y(L.yCap[p.selectedIndex]!)) - 1, W, 3);
    }
  }, [p.model, p.timeMode, h, scale, theme, p.selectedIndex]);

  const drag = useRef(false);
  const jump = (clientY: number, el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    const at = (clientY - r.top - PAD) / scale;
    p.onJump(at - p.viewHeight / 2);
  };
  const winTop = PAD + p.scrollTop * scale;
  const winH = Math.max(6, p.viewHeight * scale);
  const fits = p.contentHeight <= p.viewHeight;

  return (
    <div
      className={`ld-overview${fits ? ' fits' : ''}`}
      style={{ height: h }}
      title="Overview: click or drag to jump"
      onPointerDown={(e) => {
        drag.current = true;
        (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
        jump(e.clientY, e.currentTarget);
      }}
      onPointerMove={(e) => {
        if (drag.current) jump(e.clientY, e.currentTarget);
      }}
      onPointerUp={() => {
        drag.current = false;
      }}
    >
      <canvas ref={ref} style={{ width: W, height: h }} aria-hidden="true" />
      {!fits && <div className="ld-overview-win" style={{ top: winTop, height: winH }} />}
    </div>
  );
}

function order(t: string): number {
  return t === 'bad' ? 0 : t === 'zero' ? 1 : t === 'dup' ? 2 : t === 'ooo' ? 3 : 4;
}
function markTone(color: string, tones: Record<string, string>): string {
  return Object.keys(tones).find((k) => tones[k] === color) ?? 'info';
}
