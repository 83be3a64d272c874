// The bytes pane: offset, 16 hex bytes and ASCII per line, virtualised by line; the selected tree
// item's bytes are marked, and clicking a byte selects the innermost tree item covering it.
import { useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore, selectTreeKey, setActiveSource } from './store';
import { findKey, innermostAt } from './tree';
import { asciiChar, hex, hexByte } from './format';
import { usePaneMetrics } from './classroom/state';
import { useNav } from './nav/state';

const LINE_H = 18;

export function BytesPane() {
  const packet = useStore((s) => s.packet);
  const selectedKey = useStore((s) => s.selectedKey);
  const active = useStore((s) => s.activeSource);
  // the selected packet waits for the first pass: the previous packet's bytes are not shown under it
  const waiting = useStore((s) => s.packetWaiting !== 0 && s.packetWaiting === s.selectedFrame && s.packet?.frame !== s.selectedFrame);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [hover, setHover] = useState(-1);
  // the bytes Find matched (in the frame's own bytes)
  const found = useNav((s) => s.found);

  const src = packet?.sources[active] ?? packet?.sources[0];
  const srcIndex = packet && packet.sources[active] ? active : 0;
  const bytes = src?.bytes ?? new Uint8Array(0);
  const lines = Math.ceil(bytes.length / 16);
  const offDigits = bytes.length > 0xffff ? 8 : 4;

  const sel = useMemo(() => {
    if (!packet || !selectedKey) return null;
    const k = findKey(packet.roots, selectedKey);
    if (!k || k.node.src !== srcIndex || k.node.len <= 0) return null;
    // the protocol layer the item belongs to, lightly marked around it
    let top = k;
    while (top.parent) top = top.parent;
    const proto = top !== k && top.node.src === srcIndex && top.node.len > 0 ? top.node : null;
    return {
      a: k.node.start,
      b: k.node.start + k.node.len,
      pa: proto ? proto.start : -1,
      pb: proto ? proto.start + proto.len : -1,
    };
  }, [packet, selectedKey, srcIndex]);

  // projector mode: taller lines for the larger text
  const lineH = usePaneMetrics().lineH;
  const virt = useVirtualizer({
    count: lines,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => (lineH || LINE_H),
    overscan: 8,
  });
  useEffect(() => virt.measure(), [lineH]);

  useEffect(() => {
    if (sel && sel.a < bytes.length) virt.scrollToIndex(Math.floor(sel.a / 16), { align: 'auto' });
  }, [sel?.a, sel?.b, srcIndex]);
  useEffect(() => {
    if (found && found.frame === packet?.frame && srcIndex === 0 && found.start < bytes.length) virt.scrollToIndex(Math.floor(found.start / 16), { align: 'auto' });
  }, [found, packet?.frame, srcIndex]);

  const byteAt = (e: MouseEvent): number => {
    const t = (e.target as HTMLElement).closest('[data-off]');
    return t ? Number((t as HTMLElement).dataset.off) : -1;
  };

  const onClick = (e: MouseEvent) => {
    const off = byteAt(e);
    if (off < 0 || !packet) return;
    const k = innermostAt(packet.roots, srcIndex, off);
    if (k) selectTreeKey(k.key, true);
  };

  if (!packet || !src || waiting) {
    return (
      <div className="bytes" role="region" aria-label="Packet bytes">
        <div className="pane-empty" />
      </div>
    );
  }

  const foundHere = found && found.frame === packet.frame && srcIndex === 0 ? found : null;
  const cls = (off: number) => {
    let c = '';
    if (sel && off >= sel.a && off < sel.b) c = 'sel';
    else if (sel && off >= sel.pa && off < sel.pb) c = 'proto';
    if (off === hover) c += ' hover';
    if (foundHere && off >= foundHere.start && off < foundHere.start + foundHere.len) c += ' found';
    return c;
  };

  return (
    <div className="bytes" role="region" aria-label="Packet bytes">
      {packet.sources.length > 1 && (
        <div className="tabs" role="tablist" aria-label="Data sources">
          {packet.sources.map((s, i) => (
            <button
              key={i}
              role="tab"
              type="button"
              aria-selected={i === srcIndex}
              className={`tab${i === srcIndex ? ' active' : ''}`}
              onClick={() => setActiveSource(i)}
            >
              {s.name} ({s.bytes.length} bytes)
            </button>
          ))}
        </div>
      )}
      <div
        className="hexdump-scroll"
        ref={scrollRef}
        onClick={onClick}
        onMouseOver={(e) => setHover(byteAt(e))}
        onMouseLeave={() => setHover(-1)}
      >
        <div
          className="hexdump"
          role="grid"
          aria-label={`${src.name} bytes`}
          aria-readonly="true"
          aria-rowcount={lines}
          style={{ height: virt.getTotalSize(), ['--off-ch' as string]: `${offDigits}ch` }}
        >
          {virt.getVirtualItems().map((it) => {
            const base = it.index * 16;
            const n = Math.min(16, bytes.length - base);
            const hexCells = [];
            const ascii = [];
            for (let j = 0; j < n; j++) {
              const off = base + j;
              const b = bytes[off]!;
              const c = cls(off);
              const isSel = c.startsWith('sel');
              hexCells.push(
                <span
                  key={j}
                  role="gridcell"
                  aria-selected={isSel}
                  data-off={off}
                  className={`hx${c ? ' ' + c : ''}${j === 7 ? ' gap' : ''}`}
                >
                  {hexByte(b)}
                </span>,
              );
              ascii.push(
                <span key={j} data-off={off} className={c || undefined}>
                  {asciiChar(b)}
                </span>,
              );
            }
            return (
              <div key={it.key} role="row" aria-rowindex={it.index + 1} className="hline" style={{ transform: `translateY(${it.start}px)` }}>
                <span role="rowheader" className="hoff">
                  {hex(base, offDigits)}
                </span>
                <span className="hbytes">{hexCells}</span>
                <span role="gridcell" className="hascii" aria-label={`ASCII of bytes ${base} to ${base + n - 1}`}>
                  {ascii}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
