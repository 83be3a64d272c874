// Statistics › Capture File Properties: the file, its time span, the capture's section and interfaces,
// packet and byte counts with averages for all, displayed and marked packets, and the comments.
import { useEffect, useState } from 'react';
import { Dialog } from '../Dialog';
import { Icon } from '../icons';
import { copyText } from '../diagram/export';
import { useStore } from '../store';
import { closeStats, markedFrames, num, requestStats, si, size, useStats } from './state';
import { utcTimeText, type CaptureProperties, type Totals } from '../../core/stats/properties';

function elapsedText(s: number): string {
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s - h * 3600 - m * 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${sec.toFixed(3).padStart(6, '0')}`;
}

const MEASURES: [string, (t: Totals, digits: number) => string][] = [
  ['Packets', (t) => num(t.packets)],
  ['Time span, s', (t) => t.elapsed.toFixed(3)],
  ['Average pps', (t) => t.packetsPerSec.toFixed(1)],
  ['Average packet size, B', (t) => (t.packets ? t.avgSize.toFixed(0) : 'n/a')],
  ['Bytes', (t) => num(t.bytes)],
  ['Average bytes/s', (t) => si(t.bytesPerSec, '')],
  ['Average bits/s', (t) => si(t.bitsPerSec, '')],
  ['First packet', (t, d) => utcTimeText(t.first, d)],
  ['Last packet', (t, d) => utcTimeText(t.last, d)],
];

export function propertiesText(p: CaptureProperties, digits: number): string {
  const out: string[] = [];
  out.push(`File name:     ${p.name}`, `Length:        ${num(p.size)} bytes`, `Format:        ${p.formatName}`, `Encapsulation: ${p.encapsulation}`, '');
  out.push(`First packet:  ${utcTimeText(p.captured.first, digits)}`, `Last packet:   ${utcTimeText(p.captured.last, digits)}`, `Elapsed:       ${elapsedText(p.captured.elapsed)}`, '');
  if (p.hardware) out.push(`Hardware:      ${p.hardware}`);
  if (p.os) out.push(`OS:            ${p.os}`);
  if (p.application) out.push(`Application:   ${p.application}`);
  for (const c of p.sectionComments) out.push(`Comment:       ${c}`);
  out.push('', 'Interfaces:');
  for (const i of p.interfaces) out.push(`  ${i.name || 'unknown'}  ${i.linkName}  snaplen ${i.snaplen}  ${num(i.packets)} packets`);
  out.push('', ['Measurement', 'Captured', 'Displayed', 'Marked'].join('\t'));
  for (const [name, f] of MEASURES) out.push([name, f(p.captured, digits), p.displayed ? f(p.displayed, digits) : '', p.marked ? f(p.marked, digits) : ''].join('\t'));
  if (p.packetComments.length) {
    out.push('', 'Packet comments:');
    for (const c of p.packetComments) out.push(`  Frame ${c.frame}: ${c.comment}`);
  }
  return out.join('\n') + '\n';
}

export function PropertiesDialog() {
  const gen = useStore((s) => s.generation);
  const loading = useStore((s) => s.loading);
  const view = useStore((s) => s.view);
  const digits = useStore((s) => s.timeDigits);
  const marked = useStats((s) => s.marked);
  const [p, setP] = useState<CaptureProperties | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    requestStats({ kind: 'properties', marked: markedFrames() })
      .then(({ result }) => live && result.kind === 'properties' && setP(result.props))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [gen, loading, view, marked]);

  const footer = (
    <div className="conv-foot">
      <span className="conv-status">{loading ? 'The capture is still loading: counts will grow.' : p ? `${num(p.captured.packets)} packets` : ''}</span>
      <span className="dialog-spacer" />
      <button type="button" className="btn" disabled={!p} onClick={() => p && void copyText(propertiesText(p, digits))}>
        <Icon name="copy" />
        Copy to Clipboard
      </button>
      <button type="button" className="btn primary" onClick={() => closeStats('properties')}>
        Close
      </button>
    </div>
  );

  return (
    <Dialog title="Capture File Properties" icon="info" onClose={() => closeStats('properties')} width={760} height={640} footer={footer} className="stats-dialog">
      <div className="props-body" aria-live="polite">
        {error && <p className="stats-error">{error}</p>}
        {!p && !error && <p className="stats-wait">Reading…</p>}
        {p && (
          <>
            <section className="props-section" aria-label="File">
              <h3>File</h3>
              <dl className="props-grid">
                <dt>Name</dt>
                <dd className="mono">{p.name}</dd>
                <dt>Length</dt>
                <dd>
                  {size(p.size)} ({num(p.size)} bytes)
                </dd>
                <dt>Format</dt>
                <dd>{p.formatName}</dd>
                <dt>Encapsulation</dt>
                <dd>{p.encapsulations.length > 1 ? `Per packet: ${p.encapsulations.map((e) => `${e.name} (${num(e.packets)})`).join(', ')}` : p.encapsulation}</dd>
                {p.interfaces.length === 1 && (
                  <>
                    <dt>Snapshot length</dt>
                    <dd>{num(p.interfaces[0]!.snaplen)}</dd>
                  </>
                )}
              </dl>
            </section>
            <section className="props-section" aria-label="Time">
              <h3>Time</h3>
              <dl className="props-grid">
                <dt>First packet</dt>
                <dd className="mono">{utcTimeText(p.captured.first, digits)} UTC</dd>
                <dt>Last packet</dt>
                <dd className="mono">{utcTimeText(p.captured.last, digits)} UTC</dd>
                <dt>Elapsed</dt>
                <dd className="mono">{elapsedText(p.captured.elapsed)}</dd>
              </dl>
            </section>
            {(p.hardware || p.os || p.application || p.sectionComments.length > 0) && (
              <section className="props-section" aria-label="Capture">
                <h3>Capture</h3>
                <dl className="props-grid">
                  {p.hardware && (
                    <>
                      <dt>Hardware</dt>
                      <dd>{p.hardware}</dd>
                    </>
                  )}
                  {p.os && (
                    <>
                      <dt>OS</dt>
                      <dd>{p.os}</dd>
                    </>
                  )}
                  {p.application && (
                    <>
                      <dt>Application</dt>
                      <dd>{p.application}</dd>
                    </>
                  )}
                  {p.sectionComments.map((c, i) => (
                    <div key={i} className="props-row">
                      <dt>Comment</dt>
                      <dd>{c}</dd>
                    </div>
                  ))}
                </dl>
              </section>
            )}
            <section className="props-section" aria-label="Interfaces">
              <h3>Interfaces</h3>
              <table className="stats-table">
                <thead>
                  <tr>
                    <th scope="col">Interface</th>
                    <th scope="col">Description</th>
                    <th scope="col">Link type</th>
                    <th scope="col" className="num">Snapshot length</th>
                    <th scope="col" className="num">Packets</th>
                  </tr>
                </thead>
                <tbody>
                  {p.interfaces.map((i) => (
                    <tr key={i.index}>
                      <td className="mono">{i.name || 'unknown'}</td>
                      <td>{i.description || '—'}</td>
                      <td>{i.linkName}</td>
                      <td className="num">{num(i.snaplen)}</td>
                      <td className="num">{num(i.packets)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="props-section" aria-label="Statistics">
              <h3>Statistics</h3>
              <table className="stats-table" aria-label="Packet statistics">
                <thead>
                  <tr>
                    <th scope="col">Measurement</th>
                    <th scope="col" className="num">Captured</th>
                    <th scope="col" className="num">Displayed</th>
                    <th scope="col" className="num">Marked</th>
                  </tr>
                </thead>
                <tbody>
                  {MEASURES.map(([name, f]) => (
                    <tr key={name}>
                      <th scope="row">{name}</th>
                      <td className="num">{f(p.captured, digits)}</td>
                      <td className="num">{p.displayed ? f(p.displayed, digits) : f(p.captured, digits)}</td>
                      <td className="num">{p.marked ? f(p.marked, digits) : '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            {p.packetComments.length > 0 && (
              <section className="props-section" aria-label="Packet comments">
                <h3>Packet comments</h3>
                <ul className="props-comments">
                  {p.packetComments.map((c, i) => (
                    <li key={i}>
                      <span className="mono">Frame {c.frame}:</span> {c.comment}
                    </li>
                  ))}
                </ul>
              </section>
            )}
          </>
        )}
      </div>
    </Dialog>
  );
}
