// Classroom state: projector mode and its text size, the explanation panel, step-mode playback, and the
// episodes of the selected packet (asked of the worker). Remembered choices live in localStorage.
import { create } from 'zustand';
import type { ColumnKind } from '../../core/output/columns';

export const FONT_MIN = 14;
export const FONT_MAX = 40;
export const FONT_PROJECTOR = 20;
export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

const LS = 'wirelens.classroom.v1';

export interface ClassroomState {
  projector: boolean;
  /** base text size of list rows, tree and bytes in projector mode (px) */
  fontPx: number;
  explainOpen: boolean;
  playing: boolean;
  speed: number;
}

function load(): Partial<ClassroomState> {
  try {
    const v = JSON.parse(localStorage.getItem(LS) ?? 'null') as Partial<ClassroomState> | null;
    if (!v || typeof v !== 'object') return {};
    const out: Partial<ClassroomState> = {};
    if (typeof v.projector === 'boolean') out.projector = v.projector;
    if (typeof v.fontPx === 'number' && v.fontPx >= FONT_MIN && v.fontPx <= FONT_MAX) out.fontPx = Math.round(v.fontPx);
    if (typeof v.explainOpen === 'boolean') out.explainOpen = v.explainOpen;
    if (typeof v.speed === 'number' && (SPEEDS as readonly number[]).includes(v.speed)) out.speed = v.speed;
    return out;
  } catch {
    return {};
  }
}

export const useClassroom = create<ClassroomState>()(() => ({
  projector: false,
  fontPx: FONT_PROJECTOR,
  explainOpen: true,
  playing: false,
  speed: 1,
  ...load(),
}));

function save(): void {
  const s = useClassroom.getState();
  try {
    localStorage.setItem(LS, JSON.stringify({ projector: s.projector, fontPx: s.fontPx, explainOpen: s.explainOpen, speed: s.speed }));
  } catch {
    /* storage may be unavailable */
  }
}

export function setProjector(on: boolean): void {
  useClassroom.setState({ projector: on });
  save();
}

export function toggleProjector(): void {
  setProjector(!useClassroom.getState().projector);
}

export function setFontPx(px: number): void {
  useClassroom.setState({ fontPx: Math.max(FONT_MIN, Math.min(FONT_MAX, Math.round(px))) });
  save();
}

export function setExplainOpen(open: boolean): void {
  useClassroom.setState({ explainOpen: open });
  save();
}

export function setSpeed(speed: number): void {
  useClassroom.setState({ speed });
  save();
}

export function setPlaying(playing: boolean): void {
  useClassroom.setState({ playing });
}

/** Row heights the virtualised panes use: the normal ones, or the projector's from its text size. */
export interface PaneMetrics {
  /** packet list row */
  rowH: number;
  /** bytes pane line */
  lineH: number;
}

export function paneMetrics(s: Pick<ClassroomState, 'projector' | 'fontPx'> = useClassroom.getState()): PaneMetrics {
  if (!s.projector) return { rowH: 20, lineH: 18 };
  return { rowH: Math.round(s.fontPx * 1.5), lineH: Math.round(s.fontPx * 1.4) };
}

export function usePaneMetrics(): PaneMetrics {
  const projector = useClassroom((s) => s.projector);
  const fontPx = useClassroom((s) => s.fontPx);
  return paneMetrics({ projector, fontPx });
}

/**
 * The packet list's columns in projector mode, sized for the text: No., Source, Destination, Protocol, Info
 * and the custom columns; Time and Length are dropped (their tracks are 0 wide). `columns` are the shown ones.
 */
export function projectorColumns(fontPx: number, columns: readonly { kind: ColumnKind }[]): { template: string; minWidth: number } {
  const ch = fontPx * 0.61; // a monospace character is about 0.6 em wide
  const px = (chars: number) => Math.round(chars * ch + 20);
  const chars = (k: ColumnKind): number => {
    if ('custom' in k) return 8;
    switch (k.builtin) {
      case 'num':
        return 3;
      case 'time':
      case 'length':
        return 0;
      case 'src':
      case 'dst':
        return 12;
      case 'protocol':
        return 7.5; // the header "Protocol" fits
      case 'info':
        return 16;
    }
  };
  const w = columns.map((c) => (chars(c.kind) ? px(chars(c.kind)) : 0));
  // Info takes the room left (the last column does when Info is hidden)
  let grow = columns.findIndex((c) => 'builtin' in c.kind && c.kind.builtin === 'info');
  if (grow < 0) grow = columns.length - 1;
  return { template: w.map((x, i) => (i === grow ? `minmax(${x}px, 1fr)` : `${x}px`)).join(' '), minWidth: w.reduce((a, b) => a + b, 0) };
}
