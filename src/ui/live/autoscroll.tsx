// Auto-scroll of the packet list during a live capture: it follows the newest packet while the list
// is scrolled to the bottom, pauses when the user scrolls up, and resumes at the bottom again.
import { useCallback, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { useLive } from './live';

export interface AutoScroll {
  /** live capture running */
  enabled: boolean;
  /** following the newest packet */
  following: boolean;
  /** call from the list's scroll handler */
  onScroll(): void;
  /** scroll to the newest packet and follow again */
  jump(): void;
}

const SLACK = 4;

export function useLiveAutoScroll(scrollRef: RefObject<HTMLDivElement | null>, displayed: number): AutoScroll {
  const enabled = useLive((s) => s.active && (s.state === 'live' || s.state === 'connecting'));
  const follow = useRef(true);
  const [following, setFollowing] = useState(true);

  const setF = (on: boolean) => {
    if (follow.current === on) return;
    follow.current = on;
    setFollowing(on);
  };

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el || !enabled) return;
    setF(el.scrollTop + el.clientHeight >= el.scrollHeight - SLACK);
  }, [enabled, scrollRef]);

  // new rows while following: show the newest
  useLayoutEffect(() => {
    if (!enabled || !follow.current) return;
    const el = scrollRef.current;
    if (el && el.scrollHeight > el.clientHeight) el.scrollTop = el.scrollHeight;
  }, [displayed, enabled, scrollRef]);

  const jump = useCallback(() => {
    setF(true);
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [scrollRef]);

  return { enabled, following, onScroll, jump };
}

/** The "auto-scroll paused" button over the list's bottom edge. */
export function LiveJump({ auto }: { auto: AutoScroll }) {
  if (!auto.enabled || auto.following) return null;
  return (
    <button type="button" className="live-jump" title="Auto-scroll is paused while you look at older packets" onClick={auto.jump}>
      <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M12 5v13M6.5 12.5 12 18l5.5-5.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
      </svg>
      Auto-scroll paused · Jump to newest
    </button>
  );
}
