// Statistics and export on the page: which statistics windows are open, the marked packets, and requests
// to the worker's 'stats' / 'export' handlers (answers matched by id, progress reported as it comes).
import { create } from 'zustand';
import { useStore, workerClient } from '../store';
import type { Response } from '../../worker/protocol';
import type { MenuEntry } from '../Menu';
import type { ExportQuery, ExportResult, StatsQuery, StatsResult } from '../../worker/stats';

export type StatsWindow = 'properties' | 'phs' | 'endpoints' | 'iograph' | 'tcpgraph' | 'export';

export interface StatsUiState {
  open: ReadonlySet<StatsWindow>;
  /** the export dialog's starting mode */
  exportMode: 'packets' | 'dissections';
  /** marked frame numbers (Ctrl+M in the packet list), cleared when another capture opens */
  marked: ReadonlySet<number>;
}

export const useStats = create<StatsUiState>()(() => ({ open: new Set(), exportMode: 'packets', marked: new Set() }));

/** Open a window, or bring it to the front (windows are drawn in the order of the set). */
export function openStats(w: StatsWindow, exportMode?: 'packets' | 'dissections'): void {
  const open = new Set(useStats.getState().open);
  open.delete(w);
  open.add(w);
  useStats.setState({ open, ...(exportMode ? { exportMode } : {}) });
}

export function closeStats(w: StatsWindow): void {
  const open = new Set(useStats.getState().open);
  open.delete(w);
  useStats.setState({ open });
}

// ---------------------------------------------------------------------------------------------
// marks

export function toggleMark(frame: number): void {
  if (!frame) return;
  const m = new Set(useStats.getState().marked);
  if (m.has(frame)) m.delete(frame);
  else m.add(frame);
  useStats.setState({ marked: m });
}

export function clearMarks(): void {
  useStats.setState({ marked: new Set() });
}

export function markedFrames(): Uint32Array {
  return Uint32Array.from(useStats.getState().marked).sort();
}

// a new capture has no marks
let lastGen = useStore.getState().generation;
useStore.subscribe((s) => {
  if (s.generation !== lastGen) {
    lastGen = s.generation;
    if (useStats.getState().marked.size) clearMarks();
  }
});

// ---------------------------------------------------------------------------------------------
// requests

export interface Progress {
  done: number;
  total: number;
  loading: boolean;
}

interface Pending {
  resolve: (m: Response) => void;
  reject: (e: Error) => void;
  progress?: (p: Progress) => void;
}

const pending = new Map<number, Pending>();
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  workerClient().on((m) => {
    const p = pending.get(m.id);
    if (!p) return;
    if (m.type === 'stats-progress') {
      p.progress?.({ done: m.done, total: m.total, loading: m.loading });
      return;
    }
    pending.delete(m.id);
    if (m.type === 'error') p.reject(new Error(m.error.message));
    else if (m.type === 'cancelled') p.reject(new Error('cancelled'));
    else p.resolve(m);
  });
}

/** Ask the worker for a statistic; resolves with its result and whether it covers the whole capture. */
export function requestStats(query: StatsQuery, progress?: (p: Progress) => void): Promise<{ result: StatsResult; complete: boolean }> {
  listen();
  return new Promise((resolve, reject) => {
    const id = workerClient().send({ type: 'stats', query });
    pending.set(id, {
      resolve: (m) => (m.type === 'stats' ? resolve({ result: m.result, complete: m.complete }) : reject(new Error(`unexpected ${m.type}`))),
      reject,
      progress,
    });
  });
}

export function requestExport(query: ExportQuery, progress?: (p: Progress) => void): Promise<ExportResult> {
  listen();
  return new Promise((resolve, reject) => {
    const id = workerClient().send({ type: 'export', query });
    pending.set(id, {
      resolve: (m) => (m.type === 'exported' ? resolve(m.result) : reject(new Error(`unexpected ${m.type}`))),
      reject,
      progress,
    });
  });
}

/** Save bytes as a file through a Blob URL. */
export function downloadBytes(data: BlobPart, fileName: string, mime: string): void {
  const url = URL.createObjectURL(new Blob([data], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A thousands-separated count. */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}

/** Bytes in B / kB / MB (decimal, as Wireshark shows sizes). */
export function size(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(n < 1e4 ? 2 : 1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 2 : 1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** A rate with SI prefixes: 12.3 k, 4.56 M. */
export function si(n: number, unit: string): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(2)} G${unit}`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)} M${unit}`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(2)} k${unit}`;
  return `${Number.isInteger(n) ? n : n.toFixed(2)} ${unit}`;
}

/** The packet context menu's Mark entry. */
export function markEntry(frame: number): MenuEntry {
  const on = useStats.getState().marked.has(frame);
  return { label: on ? 'Unmark Packet' : 'Mark Packet', shortcut: 'Ctrl+M', disabled: !frame, onSelect: () => toggleMark(frame) };
}
