// Step mode: → / ← (and a clicker's PageDown / PageUp in projector mode) move to the next / previous packet
// of the current filter while the packet list or the page has the focus; Space plays through the packets
// with their real spacing in time (scaled by the speed, long pauses shortened); Esc stops. Also the
// projector keys: P toggles projector mode, Ctrl + / Ctrl − / Ctrl 0 change its text size.
import { useStore, rows, selectIndex } from '../store';
import { useClassroom, setPlaying, toggleProjector, setFontPx, FONT_PROJECTOR } from './state';

/** Shortest and longest time between two packets while playing, at speed ×1 (ms). */
export const MIN_STEP_MS = 400;
export const MAX_GAP_MS = 2500;

export function stepBy(delta: number): boolean {
  const s = useStore.getState();
  if (s.displayed === 0) return false;
  const cur = s.selectedIndex;
  const next = cur < 0 ? 0 : cur + delta;
  if (next < 0 || next >= s.displayed) return false;
  selectIndex(next);
  return true;
}

/** Delay before moving from row i to row i + 1: the capture's gap scaled by the speed, kept within bounds. */
export function playDelay(gapSec: number | null, speed: number): number {
  const min = MIN_STEP_MS / speed;
  const max = Math.max(MAX_GAP_MS, min);
  if (gapSec === null || !Number.isFinite(gapSec) || gapSec < 0) return min;
  return Math.max(min, Math.min(max, (gapSec * 1000) / speed));
}

let timer: ReturnType<typeof setTimeout> | null = null;

function scheduleNext(): void {
  const s = useStore.getState();
  const i = s.selectedIndex < 0 ? -1 : s.selectedIndex;
  if (i + 1 >= s.displayed) {
    stopPlaying();
    return;
  }
  const a = i >= 0 ? rows.get(i) : undefined;
  const b = rows.get(i + 1);
  if (!b) rows.ensure(i + 1, i + 40, s.displayed);
  const gap = a && b ? b.time - a.time : null;
  timer = setTimeout(() => {
    timer = null;
    if (!useClassroom.getState().playing) return;
    if (!stepBy(1)) {
      stopPlaying();
      return;
    }
    scheduleNext();
  }, playDelay(gap, useClassroom.getState().speed));
}

export function startPlaying(): void {
  const s = useStore.getState();
  if (s.displayed === 0) return;
  if (timer) clearTimeout(timer);
  // from the end, start again at the top
  if (s.selectedIndex >= s.displayed - 1) selectIndex(0);
  setPlaying(true);
  scheduleNext();
}

export function stopPlaying(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  if (useClassroom.getState().playing) setPlaying(false);
}

export function togglePlaying(): void {
  if (useClassroom.getState().playing) stopPlaying();
  else startPlaying();
}

export const isTextField = (el: Element | null) => !!el?.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]');

/** Where the step keys apply: the packet list, the explanation panel, or nothing focused. */
function stepTarget(el: Element | null): boolean {
  if (!el || el === document.body || el === document.documentElement) return true;
  if (el.closest('[role="menu"], [role="dialog"], [role="listbox"], [role="tree"]')) return false;
  return !!el.closest('.plist, .explain');
}

export function onClassroomKey(e: KeyboardEvent): void {
  if (e.defaultPrevented) return;
  const target = (e.target instanceof Element ? e.target : null) ?? document.activeElement;
  const mod = e.ctrlKey || e.metaKey;
  const projector = useClassroom.getState().projector;

  // P: projector mode (not while typing, not in menus or dialogs)
  if (!mod && !e.altKey && (e.key === 'p' || e.key === 'P') && !isTextField(target) && !target?.closest('[role="menu"], [role="dialog"]')) {
    e.preventDefault();
    toggleProjector();
    return;
  }

  // Ctrl + / Ctrl − / Ctrl 0: text size in projector mode (the browser's zoom otherwise)
  if (mod && !e.altKey && projector) {
    const px = useClassroom.getState().fontPx;
    if (e.key === '+' || e.key === '=' || e.code === 'NumpadAdd') setFontPx(px + 2);
    else if (e.key === '-' || e.key === '_' || e.code === 'NumpadSubtract') setFontPx(px - 2);
    else if (e.key === '0' || e.code === 'Numpad0') setFontPx(FONT_PROJECTOR);
    else return;
    e.preventDefault();
    e.stopPropagation();
    return;
  }

  if (mod || e.altKey || e.shiftKey || !stepTarget(target)) return;
  let handled = true;
  switch (e.key) {
    case 'ArrowRight':
      stopPlaying();
      stepBy(1);
      break;
    case 'ArrowLeft':
      stopPlaying();
      stepBy(-1);
      break;
    case 'PageDown':
      if (!projector) return;
      stopPlaying();
      stepBy(1);
      break;
    case 'PageUp':
      if (!projector) return;
      stopPlaying();
      stepBy(-1);
      break;
    case ' ':
      togglePlaying();
      break;
    case 'Escape':
      if (!useClassroom.getState().playing) return;
      stopPlaying();
      break;
    default:
      handled = false;
  }
  if (handled) {
    e.preventDefault();
    e.stopPropagation();
  }
}
