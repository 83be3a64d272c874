// The toolbar's live-capture group: state badge, Stop and Save capture (shown only in live mode).
import { useStore } from '../store';
import './live.css';
import { Icon } from '../icons';
import { useLive, stopLive, saveCapture } from './live';
import type { LiveState } from '../../worker/protocol';

const BADGE: Record<LiveState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  stopped: 'Stopped',
  ended: 'Ended',
  broken: 'Stream broken',
};

export function LiveControls() {
  const active = useLive((s) => s.active);
  const state = useLive((s) => s.state);
  const iface = useLive((s) => s.iface);
  const filter = useLive((s) => s.filter);
  const saving = useLive((s) => s.saving);
  const hasCapture = useStore((s) => s.meta !== null);
  if (!active) return null;
  const running = state === 'connecting' || state === 'live';
  const where = iface ? `Capturing on ${iface}${filter ? ` with the capture filter “${filter}”` : ''}` : 'Live capture';
  return (
    <div className="live-controls" role="group" aria-label="Live capture">
      <span className={`live-badge ${state}`} title={where}>
        <span className="live-dot" aria-hidden="true" />
        {BADGE[state]}
        {iface && running ? <span className="live-iface">{iface}</span> : null}
      </span>
      <button
        type="button"
        className="tb-btn labelled"
        aria-label="Stop live capture"
        title="Stop the live capture (the packets received stay)"
        disabled={!running}
        onClick={stopLive}
      >
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <rect x="6.5" y="6.5" width="11" height="11" rx="1.5" fill="currentColor" />
        </svg>
        <span className="tb-label">Stop</span>
      </button>
      <button
        type="button"
        className="tb-btn labelled"
        aria-label="Save capture"
        title="Save the packets received as a pcapng file"
        disabled={!hasCapture || saving}
        onClick={saveCapture}
      >
        <Icon name="save" />
        <span className="tb-label">Save capture</span>
      </button>
    </div>
  );
}
