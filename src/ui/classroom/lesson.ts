// Lesson links: the URL hash keeps the capture (a built-in sample by name, or the name of a file the user
// opened — never its bytes), the display filter, the selected frame and whether the sequence diagram is
// open, e.g. #sample=http-get.pcap&filter=tcp.port%3D%3D80&frame=4&view=diagram. Opening such a link
// restores all of it; a link about a user's file asks for that file and restores the rest once it is open.
// Other hash parameters (e.g. live=) are left as they are.
import { t } from '../i18n';
import { useStore, openSample, applyFilterText, selectFrameNumber, setDiagramOpen, samplesOpened } from '../store';

export interface Lesson {
  sample?: string;
  file?: string;
  filter?: string;
  frame?: number;
  diagram?: boolean;
}

const KEYS = ['sample', 'file', 'filter', 'frame', 'view'] as const;
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}$/;

export function parseLesson(hash: string): Lesson {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const out: Lesson = {};
  const sample = p.get('sample');
  if (sample && SAFE_NAME.test(sample) && !sample.includes('..')) out.sample = sample;
  const file = p.get('file');
  if (file && !out.sample) out.file = file.slice(0, 255);
  const filter = p.get('filter');
  if (filter) out.filter = filter;
  const frame = Number(p.get('frame'));
  if (Number.isInteger(frame) && frame > 0) out.frame = frame;
  if (p.get('view') === 'diagram') out.diagram = true;
  return out;
}

/** The hash for `lesson`, keeping parameters that are not ours. */
export function lessonHash(current: string, lesson: Lesson): string {
  const p = new URLSearchParams(current.replace(/^#/, ''));
  for (const k of KEYS) p.delete(k);
  const ours = new URLSearchParams();
  if (lesson.sample) ours.set('sample', lesson.sample);
  else if (lesson.file) ours.set('file', lesson.file);
  if (lesson.filter) ours.set('filter', lesson.filter);
  if (lesson.frame) ours.set('frame', String(lesson.frame));
  if (lesson.diagram) ours.set('view', 'diagram');
  const rest = p.toString();
  const s = [ours.toString(), rest].filter(Boolean).join('&');
  return s ? `#${s}` : '';
}

/** What the page shows now, as a lesson. */
export function currentLesson(): Lesson {
  const s = useStore.getState();
  if (!s.meta) return {};
  const l: Lesson = samplesOpened.has(s.meta.name) ? { sample: s.meta.name } : { file: s.meta.name };
  if (s.appliedFilter) l.filter = s.appliedFilter;
  if (s.selectedFrame) l.frame = s.selectedFrame;
  if (s.diagramOpen) l.diagram = true;
  return l;
}

/** The lesson being restored: applied step by step once its capture is open. */
let pending: (Lesson & { name: string; stage: 'open' | 'filter' | 'frame' }) | null = null;

let advancing = false;

function advance(): void {
  if (advancing) return;
  advancing = true;
  try {
    step();
  } finally {
    advancing = false;
  }
}

function step(): void {
  const p = pending;
  if (!p) return;
  const s = useStore.getState();
  if (s.meta?.name !== p.name || s.opening) return;
  if (p.stage === 'open') {
    p.stage = 'filter';
    if (p.diagram && !s.diagramOpen) setDiagramOpen(true);
    if ((p.filter ?? '') !== s.appliedFilter) {
      applyFilterText(p.filter ?? '');
      return;
    }
  }
  if (p.stage === 'filter') {
    if (s.filtering || s.appliedFilter !== (p.filter ?? '').trim()) return;
    p.stage = 'frame';
  }
  if (p.stage === 'frame') {
    if (s.loading && p.frame && s.frames < p.frame) return; // wait until the frame has been read
    pending = null; // before selecting: the selection notifies this subscriber again
    if (p.frame) selectFrameNumber(p.frame);
  }
}

/**
 * At start-up: restore the lesson in the URL hash. Returns false when the hash names no capture (the
 * caller then opens the default sample).
 */
export function startLesson(hash = location.hash): boolean {
  const l = parseLesson(hash);
  if (l.sample) {
    pending = { ...l, name: l.sample, stage: 'open' };
    void openSample(l.sample);
    return true;
  }
  if (l.file) {
    pending = { ...l, name: l.file, stage: 'open' };
    useStore.setState({ notice: { kind: 'warning', message: t('classroom.lessonFile', { name: l.file, frame: l.frame ?? 1 }), file: '' } });
    return true;
  }
  return false;
}

let tracking = false;

/** Keep the hash up to date as the user works, and finish restoring a lesson as its parts arrive. */
export function trackLesson(): () => void {
  if (tracking) return () => {};
  tracking = true;
  let last = '';
  const unsub = useStore.subscribe((s, prev) => {
    if (pending) advance();
    if (pending) return; // do not overwrite the link while it is being restored
    if (s.meta === prev.meta && s.appliedFilter === prev.appliedFilter && s.selectedFrame === prev.selectedFrame && s.diagramOpen === prev.diagramOpen) return;
    if (!s.meta) return;
    const h = lessonHash(location.hash, currentLesson());
    if (h === last || h === location.hash) return;
    last = h;
    history.replaceState(history.state, '', h || location.pathname + location.search);
  });
  return () => {
    tracking = false;
    unsub();
  };
}
