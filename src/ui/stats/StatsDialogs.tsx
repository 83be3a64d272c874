// The Statistics and File › Export windows, and the menu entries that open them.
import './stats.css';
import type { MenuEntry } from '../Menu';
import { useStore, type State } from '../store';
import { useStats, openStats, type StatsWindow } from './state';
import { PropertiesDialog } from './PropertiesDialog';
import { PhsDialog } from './PhsDialog';
import { EndpointsDialog } from './EndpointsDialog';
import { IoGraphDialog } from './IoGraphDialog';
import { TcpGraphDialog } from './TcpGraphDialog';
import { ExportDialog } from '../ExportDialog';

export function StatsDialogs() {
  const open = useStats((s) => s.open);
  const hasCapture = useStore((s) => s.meta !== null);
  if (!hasCapture) return null;
  // the most recently opened window is drawn last, on top
  return (
    <>
      {[...open].map((w) => {
        const D = WINDOWS[w];
        return <D key={w} />;
      })}
    </>
  );
}

const WINDOWS: Record<StatsWindow, () => React.JSX.Element> = {
  properties: PropertiesDialog,
  phs: PhsDialog,
  endpoints: EndpointsDialog,
  iograph: IoGraphDialog,
  tcpgraph: TcpGraphDialog,
  export: ExportDialog,
};

export function statisticsEntries(s: State = useStore.getState()): MenuEntry[] {
  const none = !s.meta;
  return [
    { label: 'Capture File Properties', shortcut: 'Ctrl+Alt+Shift+C', icon: 'info', disabled: none, onSelect: () => openStats('properties') },
    'separator',
    { label: 'Protocol Hierarchy', disabled: none, onSelect: () => openStats('phs') },
    { label: 'Endpoints', disabled: none, onSelect: () => openStats('endpoints') },
    'separator',
    { label: 'I/O Graph', disabled: none, onSelect: () => openStats('iograph') },
    { label: 'TCP Stream Graphs', disabled: none, onSelect: () => openStats('tcpgraph') },
  ];
}

export function fileEntries(s: State = useStore.getState(), open?: () => void): MenuEntry[] {
  const none = !s.meta;
  const entries: MenuEntry[] = [];
  if (open) entries.push({ label: 'Open…', shortcut: 'Ctrl+O', icon: 'open', onSelect: open }, 'separator');
  entries.push(
    { label: 'Export Specified Packets…', icon: 'save', disabled: none, onSelect: () => openStats('export', 'packets') },
    { label: 'Export Packet Dissections…', disabled: none, onSelect: () => openStats('export', 'dissections') },
  );
  return entries;
}

/** Ctrl+Alt+Shift+C: Capture File Properties (Wireshark's shortcut). Returns true if handled. */
export function statsShortcut(e: KeyboardEvent): boolean {
  const mod = e.ctrlKey || e.metaKey;
  if (mod && e.altKey && e.shiftKey && e.code === 'KeyC') {
    e.preventDefault();
    if (useStore.getState().meta) openStats('properties');
    return true;
  }
  return false;
}
