// The status bar's live indicator: the packet rate while capturing, and why it stopped when it did
// (a broken stream is an alert; the packets received before it stay shown).
import { useEffect, useState } from 'react';
import { useStore } from '../store';
import { useLive } from './live';
import { windowRate, type CountSample } from './rate';

/**
 * Packets per second over the last 2 s, shown twice a second while `on`. Arrivals are timed when the
 * store receives them, not when a tick happens to run: on a loaded machine ticks come late, and a
 * burst measured between two late ticks would show for one tick only.
 */
export function usePacketRate(on: boolean): number {
  const [rate, setRate] = useState(0);
  useEffect(() => {
    if (!on) {
      setRate(0);
      return;
    }
    const start = performance.now();
    // (time, frames) at each change of the count; the first entry is the count when capture began
    const samples: CountSample[] = [{ t: start, n: useStore.getState().frames }];
    const unsubscribe = useStore.subscribe((s, prev) => {
      if (s.frames !== prev.frames) samples.push({ t: performance.now(), n: s.frames });
    });
    const timer = setInterval(() => setRate(windowRate(samples, performance.now(), start)), 500);
    return () => {
      clearInterval(timer);
      unsubscribe();
    };
  }, [on]);
  return rate;
}

export function formatRate(r: number): string {
  if (r <= 0) return '0';
  return r < 10 ? r.toFixed(1) : Math.round(r).toLocaleString('en-US');
}

export function LiveStatus() {
  const active = useLive((s) => s.active);
  const state = useLive((s) => s.state);
  const message = useLive((s) => s.message);
  const frames = useStore((s) => s.frames);
  const running = active && (state === 'live' || state === 'connecting');
  const rate = usePacketRate(running);
  if (!active) return null;
  if (state === 'connecting') return <span className="sb-item sb-live connecting">Connecting to the capture bridge…</span>;
  if (state === 'live') {
    return (
      <span className="sb-item sb-live" aria-label={`Live: ${formatRate(rate)} packets per second`}>
        <span className="live-dot" aria-hidden="true" />
        Live · <span className="sb-rate">{formatRate(rate)}</span> packets/s
      </span>
    );
  }
  if (state === 'broken') {
    return (
      <span className="sb-notice error sb-live-alert" role="alert" title={`${message} The packets received before it are kept; Save capture saves them.`}>
        <span className="sb-notice-icon" aria-hidden="true">
          ✕
        </span>
        <span className="sb-notice-text">
          {message} {frames.toLocaleString('en-US')} packet{frames === 1 ? '' : 's'} received {frames === 1 ? 'is' : 'are'} kept.
        </span>
      </span>
    );
  }
  return (
    <span className="sb-item muted" title={message}>
      {state === 'stopped' ? 'Live capture stopped' : message || 'The capture ended'}
    </span>
  );
}
