// Follow TCP / UDP Stream: the conversation's payload in order, the client's bytes in one colour and the
// server's in another, as ASCII, a hex dump or raw hex; clicking a chunk selects its packet.
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useStore, closeFollow, openFollow, selectFrameNumber } from './store';
import { Dialog } from './Dialog';
import { Icon } from './icons';
import { copyText, download } from './diagram/export';
import { count } from './format';
import { useT } from './i18n';
import type { FollowPayload } from '../worker/protocol';

type View = 'ascii' | 'hex' | 'raw';
type Show = 'both' | '0' | '1';

const LINE_H = 18;
/** ASCII lines longer than this are wrapped (binary data may have no line breaks at all) */
const WRAP = 160;

interface Line {
  text: string;
  dir: 0 | 1;
  chunk: number;
  frame: number;
  /** first line of its chunk */
  first: boolean;
  missing?: boolean;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function printable(b: number): string {
  return b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.';
}

function buildLines(r: FollowPayload, view: View, show: Show): Line[] {
  const out: Line[] = [];
  const offs: [number, number] = [0, 0];
  r.chunks.forEach((c, ci) => {
    if (show !== 'both' && String(c.dir) !== show) return;
    const bytes = r.data.subarray(c.start, c.start + c.len);
    const base = { dir: c.dir, chunk: ci, frame: c.frame };
    let first = true;
    const push = (text: string, extra: Partial<Line> = {}) => {
      out.push({ ...base, text, first, ...extra });
      first = false;
    };
    if (c.missing !== undefined) {
      push(`[${count(c.missing)} bytes missing in capture file]`, { missing: true });
      return;
    }
    if (view === 'ascii') {
      let s = '';
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        s += b === 0x0a || b === 0x0d || b === 0x09 ? String.fromCharCode(b) : printable(b);
      }
      const lines = s.split('\n');
      if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
      for (let l of lines) {
        if (l.endsWith('\r')) l = l.slice(0, -1);
        l = l.replace(/\r/g, '.');
        if (l.length <= WRAP) push(l);
        else for (let i = 0; i < l.length; i += WRAP) push(l.slice(i, i + WRAP));
      }
    } else if (view === 'hex') {
      const indent = c.dir ? '    ' : '';
      for (let i = 0; i < bytes.length; i += 16) {
        let hex = '';
        let asc = '';
        for (let j = 0; j < 16; j++) {
          const k = i + j;
          if (k < bytes.length) {
            hex += HEX[bytes[k]!] + ' ';
            asc += printable(bytes[k]!);
          } else hex += '   ';
          if (j === 7) hex += ' ';
        }
        push(`${indent}${(offs[c.dir] + i).toString(16).padStart(8, '0')}  ${hex} ${asc}`);
      }
      offs[c.dir] += bytes.length;
    } else {
      for (let i = 0; i < bytes.length; i += 32) {
        let hex = '';
        for (let j = i; j < Math.min(bytes.length, i + 32); j++) hex += HEX[bytes[j]!];
        push(hex);
      }
    }
  });
  return out;
}

function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function FollowDialog() {
  const follow = useStore((s) => s.follow);
  const t = useT();
  const selectedFrame = useStore((s) => s.selectedFrame);
  const [view, setView] = useState<View>('ascii');
  const [show, setShow] = useState<Show>('both');
  const scrollRef = useRef<HTMLDivElement>(null);

  const r = follow?.result ?? null;
  const lines = useMemo(() => (r ? buildLines(r, view, show) : []), [r, view, show]);
  const virt = useVirtualizer({
    count: lines.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => LINE_H,
    overscan: 20,
  });

  if (!follow) return null;
  const kindName = follow.kind.toUpperCase();
  const title = r ? t('follow.titleFilter', { kind: kindName, filter: r.filter }) : t('follow.title', { kind: kindName });
  const nodes = r?.nodes ?? null;
  const c2s = nodes ? `${nodes[0]} → ${nodes[1]}` : 'client → server';
  const s2c = nodes ? `${nodes[1]} → ${nodes[0]}` : 'server → client';

  const shownText = (): string => lines.map((l) => l.text).join('\n') + (lines.length ? '\n' : '');
  const shownBytes = (): Uint8Array => {
    if (!r) return new Uint8Array(0);
    const parts = r.chunks.filter((c) => c.missing === undefined && (show === 'both' || String(c.dir) === show));
    const out = new Uint8Array(parts.reduce((a, c) => a + c.len, 0));
    let o = 0;
    for (const c of parts) {
      out.set(r.data.subarray(c.start, c.start + c.len), o);
      o += c.len;
    }
    return out;
  };
  const save = () => {
    if (!r) return;
    const name = `wirelens-${r.proto}-stream-${r.stream}${show === 'both' ? '' : show === '0' ? '-client' : '-server'}`;
    if (view === 'raw') download(new Blob([shownBytes() as BlobPart], { type: 'application/octet-stream' }), `${name}.bin`);
    else download(new Blob([shownText()], { type: 'text/plain' }), `${name}${view === 'hex' ? '-hex' : ''}.txt`);
  };

  const footer = (
    <div className="follow-foot">
      <div className="follow-legend">
        <span className="legend-item c2s" title="Sent by the client (the first packet's sender)">
          <span className="legend-swatch" aria-hidden="true" />
          <span className="legend-dir">client → server</span>
          <span className="legend-ep mono">{c2s}</span>
          <span className="legend-count">
            {r ? `${plural(r.packets[0], 'packet', 'packets')}, ${plural(r.bytes[0], 'byte', 'bytes')}` : ''}
          </span>
        </span>
        <span className="legend-item s2c" title="Sent by the server">
          <span className="legend-swatch" aria-hidden="true" />
          <span className="legend-dir">server → client</span>
          <span className="legend-ep mono">{s2c}</span>
          <span className="legend-count">
            {r ? `${plural(r.packets[1], 'packet', 'packets')}, ${plural(r.bytes[1], 'byte', 'bytes')}` : ''}
          </span>
        </span>
        <span className="follow-summary" data-testid="follow-summary">
          {r ? `${plural(r.packets[0], 'client pkt', 'client pkts')}, ${plural(r.packets[1], 'server pkt', 'server pkts')}, ${plural(r.turns, 'turn', 'turns')}.` : ''}
        </span>
      </div>
      <div className="follow-controls">
        <label className="field">
          <span>{t('follow.showFrom')}</span>
          <select value={show} onChange={(e) => setShow(e.target.value as Show)} aria-label={t('follow.showFrom')}>
            <option value="both">Entire conversation ({r ? count(r.bytes[0] + r.bytes[1]) : 0} bytes)</option>
            <option value="0">
              {c2s} ({r ? count(r.bytes[0]) : 0} bytes)
            </option>
            <option value="1">
              {s2c} ({r ? count(r.bytes[1]) : 0} bytes)
            </option>
          </select>
        </label>
        <div className="seg" role="radiogroup" aria-label={t('follow.showAs')}>
          <span className="seg-label">{t('follow.showAs')}</span>
          {(
            [
              ['ascii', 'ASCII'],
              ['hex', 'Hex Dump'],
              ['raw', 'Raw'],
            ] as [View, string][]
          ).map(([v, name]) => (
            <button key={v} type="button" role="radio" aria-checked={view === v} className={view === v ? 'on' : ''} onClick={() => setView(v)}>
              {name}
            </button>
          ))}
        </div>
        <label className="field">
          <span>{t('follow.stream')}</span>
          <input
            type="number"
            className="stream-input"
            aria-label={t('follow.stream')}
            min={0}
            max={r?.maxStream ?? 0}
            value={r?.stream ?? 0}
            onChange={(e) => {
              const n = Number(e.target.value);
              if (Number.isInteger(n) && n >= 0 && n <= (r?.maxStream ?? 0) && n !== r?.stream) openFollow(follow.kind, n);
            }}
          />
        </label>
        <span className="dialog-spacer" />
        <button type="button" className="btn" onClick={() => closeFollow(true)} title={t('follow.backTitle')}>
          <Icon name="back" />
          {t('follow.back')}
        </button>
        <button type="button" className="btn primary" onClick={() => closeFollow(false)} title={t('follow.closeTitle')}>
          {t('dialog.close')}
        </button>
      </div>
    </div>
  );

  const headerExtra = (
    <div className="dialog-tools">
      <button type="button" className="btn ghost" onClick={() => void copyText(shownText())} disabled={!r} title={t('follow.copyTitle')}>
        <Icon name="copy" />
        {t('follow.copy')}
      </button>
      <button type="button" className="btn ghost" onClick={save} disabled={!r} title={view === 'raw' ? t('follow.saveBytesTitle') : t('follow.saveTextTitle')}>
        <Icon name="save" />
        {t('follow.saveAs')}
      </button>
    </div>
  );

  let empty: string | null = null;
  if (!r) empty = follow.loading ? 'Following the stream…' : (follow.reason ?? '');
  else if (!lines.length) empty = r.chunks.length ? 'Nothing in this direction.' : 'The stream carries no payload (or it was not captured).';

  return (
    <Dialog title={title} icon="follow" headerExtra={headerExtra} onClose={() => closeFollow(false)} footer={footer} width={1040} height={680} className="follow-dialog">
      {empty !== null ? (
        <div className="pane-empty">{empty}</div>
      ) : (
        <div className={`follow-scroll view-${view}`} ref={scrollRef} role="log" aria-label="Stream content">
          <div className="follow-body" style={{ height: virt.getTotalSize() }}>
            {virt.getVirtualItems().map((it) => {
              const l = lines[it.index]!;
              const sel = l.frame === selectedFrame;
              return (
                <div
                  key={it.key}
                  className={`fl ${l.dir ? 's2c' : 'c2s'}${l.first ? ' first' : ''}${sel ? ' sel' : ''}${l.missing ? ' missing' : ''}`}
                  style={{ transform: `translateY(${it.start}px)` }}
                  data-frame={l.frame}
                  data-dir={l.dir ? 'server' : 'client'}
                  title={`Frame ${l.frame} · ${l.dir ? 'server → client' : 'client → server'}`}
                  onClick={() => {
                    // a click that ends a text selection is not a packet choice
                    if (String(window.getSelection() ?? '').length) return;
                    selectFrameNumber(l.frame);
                  }}
                >
                  {l.text || ' '}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </Dialog>
  );
}
