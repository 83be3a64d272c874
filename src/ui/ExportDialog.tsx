// File › Export Specified Packets (pcap / pcapng, unchanged frames byte for byte) and Export Packet
// Dissections (plain text like tshark -V, CSV of the packet-list columns, JSON like tshark -T json), of all,
// displayed or marked packets. The worker writes the file; the page downloads it through a Blob URL.
import { useColumns, visibleColumns } from './columns/state';
import { BUILTIN_TITLES } from '../core/output/columns';
import { useState } from 'react';
import { Dialog } from './Dialog';
import { Icon } from './icons';
import { useStore } from './store';
import { closeStats, downloadBytes, markedFrames, num, requestExport, size, useStats, type Progress } from './stats/state';
import type { ExportFormat, ExportRange } from '../worker/stats';

const PACKET_FORMATS: [ExportFormat, string, string][] = [
  ['pcapng', 'pcapng', 'Keeps interfaces, comments and packet flags'],
  ['pcap', 'pcap', 'Classic libpcap format (one link type)'],
];
const DISSECTION_FORMATS: [ExportFormat, string, string][] = [
  ['text', 'Plain text', 'The packet details as tshark -V prints them'],
  ['csv', 'CSV', 'The packet-list columns as shown (custom columns and the time format too)'],
  ['json', 'JSON', 'Layers and fields, in tshark -T json’s layout'],
];

export function ExportDialog() {
  const mode = useStats((s) => s.exportMode);
  const marked = useStats((s) => s.marked);
  const frames = useStore((s) => s.frames);
  const displayed = useStore((s) => s.displayed);
  const filter = useStore((s) => s.appliedFilter);
  const loading = useStore((s) => s.loading);
  const [range, setRange] = useState<ExportRange>(() => (useStore.getState().appliedFilter ? 'displayed' : 'all'));
  const [formats, setFormats] = useState<{ packets: ExportFormat; dissections: ExportFormat }>({ packets: 'pcapng', dissections: 'text' });
  const [busy, setBusy] = useState<Progress | true | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const format = formats[mode];
  const list = mode === 'packets' ? PACKET_FORMATS : DISSECTION_FORMATS;

  const counts: Record<ExportRange, number> = { all: frames, displayed, marked: marked.size };
  const ranges: [ExportRange, string][] = [
    ['all', 'All packets'],
    ['displayed', filter ? `Displayed (filter “${filter}”)` : 'Displayed'],
    ['marked', 'Marked packets only'],
  ];

  const run = async () => {
    setStatus(null);
    setBusy(true);
    try {
      // a CSV has the list's columns as shown, titled as in Wireshark
      const csv = {
        columns: visibleColumns(useColumns.getState().columns).map((c) => ({ title: 'builtin' in c.kind ? BUILTIN_TITLES[c.kind.builtin] : c.title, kind: c.kind })),
        time: useStore.getState().timeFormat,
      };
      const r = await requestExport({ range, format, ...(range === 'marked' ? { marked: markedFrames() } : {}), ...(format === 'csv' ? { csv } : {}) }, (p) => setBusy(p));
      downloadBytes(r.data as BlobPart, r.fileName, r.mime);
      setStatus({
        ok: true,
        text: `Exported ${num(r.packets)} packet${r.packets === 1 ? '' : 's'} to ${r.fileName} (${size(r.data.byteLength)})${r.skipped ? `; ${num(r.skipped)} non-packet records left out` : ''}.`,
      });
    } catch (e) {
      setStatus({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(null);
    }
  };

  const footer = (
    <div className="conv-foot">
      <span className={`conv-status${status && !status.ok ? ' bad' : ''}`} role="status" aria-live="polite">
        {busy && <span className="side-busy" aria-hidden="true" />}
        {busy && busy !== true ? `Writing… ${num(busy.done)} of ${num(busy.total)} packets` : busy ? (loading ? 'Waiting for the capture to load…' : 'Writing…') : (status?.text ?? '')}
      </span>
      <span className="dialog-spacer" />
      <button type="button" className="btn" onClick={() => closeStats('export')}>
        Close
      </button>
      <button type="button" className="btn primary" disabled={!!busy || counts[range] === 0} onClick={() => void run()}>
        <Icon name="save" />
        Export
      </button>
    </div>
  );

  return (
    <Dialog
      title={mode === 'packets' ? 'Export Specified Packets' : 'Export Packet Dissections'}
      icon="save"
      onClose={() => closeStats('export')}
      width={620}
      height={420}
      footer={footer}
      className="stats-dialog export-dialog"
    >
      <div className="export-body">
        <div className="seg" role="radiogroup" aria-label="What to export">
          <button type="button" role="radio" aria-checked={mode === 'packets'} className={mode === 'packets' ? 'on' : ''} onClick={() => useStats.setState({ exportMode: 'packets' })}>
            Packets
          </button>
          <button type="button" role="radio" aria-checked={mode === 'dissections'} className={mode === 'dissections' ? 'on' : ''} onClick={() => useStats.setState({ exportMode: 'dissections' })}>
            Dissections
          </button>
        </div>
        <fieldset className="export-group">
          <legend>Packet range</legend>
          {ranges.map(([k, label]) => (
            <div key={k} className={`export-choice${counts[k] ? '' : ' disabled'}`}>
              <label>
                <input type="radio" name="export-range" value={k} checked={range === k} disabled={!counts[k]} onChange={() => setRange(k)} aria-describedby={`export-count-${k}`} />
                <span>{label}</span>
              </label>
              <span className="export-count" id={`export-count-${k}`}>
                {num(counts[k])} packet{counts[k] === 1 ? '' : 's'}
              </span>
            </div>
          ))}
          {!marked.size && <p className="export-note">Mark packets with Ctrl+M in the packet list to export only those.</p>}
        </fieldset>
        <fieldset className="export-group">
          <legend>Format</legend>
          {list.map(([k, label, hint]) => (
            <div key={k} className="export-choice">
              <label>
                <input type="radio" name="export-format" value={k} checked={format === k} onChange={() => setFormats((f) => ({ ...f, [mode]: k }))} aria-describedby={`export-hint-${k}`} />
                <span>{label}</span>
              </label>
              <span className="export-hint" id={`export-hint-${k}`}>
                {hint}
              </span>
            </div>
          ))}
        </fieldset>
      </div>
    </Dialog>
  );
}
