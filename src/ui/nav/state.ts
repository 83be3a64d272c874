// Moving around a capture as in Wireshark: Go to Packet, Go › Previous/Next/First/Last Packet, Previous/Next
// Packet in Conversation, Edit › Find Packet (the find bar's query, the worker's 'find' answers shown as a
// selected packet, tree item or marked bytes), marks (all displayed, next/previous) and the short notes these
// leave. The searches themselves run in the worker (src/worker/find.ts).
import { useColumns, visibleColumns } from '../columns/state';
import { create } from 'zustand';
import { useStore, selectIndex, selectFrameNumber, selectTreeKey, workerClient, indexOfFrame } from '../store';
import { useStats, toggleMark } from '../stats/state';
import { innermostAt, type KeyedNode } from '../tree';
import { t } from '../i18n';
import type { FindAnswer, FindDirection, FindMatch, FindQuery, FindScope, Response } from '../../worker/protocol';
import type { WorkerClient } from '../client';

export type FindKind = 'filter' | 'hex' | 'string';

export interface NavState {
  findOpen: boolean;
  findKind: FindKind;
  findScope: FindScope;
  caseSensitive: boolean;
  findText: string;
  /** the query does not compile: the message and where in the text */
  invalid: { message: string; start: number; end: number } | null;
  /** a search is running: the share of the packets searched so far */
  searching: number | null;
  /** what the last search found (or why it did not) */
  findNote: { kind: 'found' | 'wrapped' | 'none'; text: string } | null;
  /** bumped to ask the find bar to take the focus (Ctrl+F again) */
  findFocus: number;
  gotoOpen: boolean;
  gotoError: string | null;
  /** the bytes a bytes search found, marked in the bytes pane while their tree item stays selected */
  found: { frame: number; start: number; len: number; key: string | null } | null;
  /** a short note after a Go or mark command (wrapped round, nothing found) */
  note: { text: string; seq: number } | null;
  legendOpen: boolean;
}

export const useNav = create<NavState>()(() => ({
  findOpen: false,
  findKind: 'filter',
  findScope: 'list',
  caseSensitive: false,
  findText: '',
  invalid: null,
  searching: null,
  findNote: null,
  findFocus: 0,
  gotoOpen: false,
  gotoError: null,
  found: null,
  note: null,
  legendOpen: false,
}));

const setNav = useNav.setState;
const store = useStore.getState;

let noteSeq = 0;
export function showNote(text: string): void {
  setNav({ note: { text, seq: ++noteSeq } });
}

/** Give the keyboard back to the packet list (after Go to Packet, or closing a bar). */
export function focusPacketList(): void {
  document.querySelector<HTMLElement>('.plist[role="grid"]')?.focus({ preventScroll: true });
}

// -----------------------------------------------------------------------------------------------
// Go

export function openGoto(): void {
  setNav({ gotoOpen: true, gotoError: null });
}

export function closeGoto(): void {
  setNav({ gotoOpen: false, gotoError: null });
  focusPacketList();
}

/**
 * Select packet `n` (the number field of Go to Packet): true when it is displayed; otherwise the bar says
 * why (no such packet, hidden by the display filter) and the selection stays.
 */
export function goToPacket(text: string): boolean {
  const s = store();
  const n = Number(text.trim());
  let error: string | null = null;
  if (!s.meta) error = t('goto.noCapture');
  else if (!/^\d+$/.test(text.trim()) || n < 1) error = t('goto.notNumber');
  else if (n > s.frames) error = s.loading ? t('goto.notYet', { n, frames: s.frames }) : t('goto.noSuch', { n, frames: s.frames });
  else if (indexOfFrame(s.displayedFrames, s.displayed, n) < 0) error = t('goto.hidden', { n, filter: s.appliedFilter });
  if (error) {
    setNav({ gotoError: error });
    return false;
  }
  selectIndex(indexOfFrame(s.displayedFrames, s.displayed, n));
  setNav({ gotoOpen: false, gotoError: null });
  focusPacketList();
  return true;
}

export type GoCommand = 'first' | 'last' | 'next' | 'prev';

export function go(cmd: GoCommand): void {
  const s = store();
  if (!s.displayed) return;
  const cur = s.selectedIndex;
  switch (cmd) {
    case 'first':
      return selectIndex(0);
    case 'last':
      return selectIndex(s.displayed - 1);
    case 'next':
      return selectIndex(cur < 0 ? 0 : cur + 1);
    case 'prev':
      return selectIndex(cur < 0 ? 0 : cur - 1);
  }
}

/** Go › Next/Previous Packet in Conversation: the worker finds it with the selected packet's conversation filter. */
export function goConversation(dir: FindDirection): void {
  const s = store();
  if (!s.meta) return;
  if (!s.selectedFrame) {
    showNote(t('nav.selectFirst'));
    return;
  }
  search({ kind: 'conversation' }, dir, 'conversation');
}

// -----------------------------------------------------------------------------------------------
// marks (the marked set is kept with the statistics, which export and count it)

/** Edit › Mark All Displayed (`on`) or Unmark All Displayed. */
export function markDisplayed(on: boolean): void {
  const s = store();
  const m = new Set(useStats.getState().marked);
  const list = s.displayedFrames;
  const n = s.displayed;
  for (let i = 0; i < n; i++) {
    const f = list ? list[i]! : i + 1;
    if (on) m.add(f);
    else m.delete(f);
  }
  useStats.setState({ marked: m });
}

export function toggleSelectedMark(): void {
  toggleMark(store().selectedFrame);
}

/** Edit › Next Mark / Previous Mark: the next marked packet in the list after the selected one, wrapping round. */
export function goMark(dir: FindDirection): void {
  const s = store();
  const shown = [...useStats.getState().marked].filter((f) => indexOfFrame(s.displayedFrames, s.displayed, f) >= 0).sort((a, b) => a - b);
  if (!shown.length) {
    showNote(t(useStats.getState().marked.size ? 'mark.noneShown' : 'mark.none'));
    return;
  }
  const cur = s.selectedFrame;
  let target = dir === 'next' ? shown.find((f) => f > cur) : [...shown].reverse().find((f) => f < cur);
  if (target === undefined) {
    target = dir === 'next' ? shown[0]! : shown[shown.length - 1]!;
    showNote(t(dir === 'next' ? 'find.wrappedNext' : 'find.wrappedPrev'));
  }
  selectFrameNumber(target);
}

// -----------------------------------------------------------------------------------------------
// Find Packet

export function openFind(): void {
  setNav((n) => ({ findOpen: true, findFocus: n.findFocus + 1 }));
}

export function closeFind(): void {
  cancelSearch();
  setNav({ findOpen: false, findNote: null, invalid: null });
  focusPacketList();
}

export function setFindQuery(patch: Partial<Pick<NavState, 'findKind' | 'findScope' | 'caseSensitive' | 'findText'>>): void {
  // a changed query starts afresh: no match to go on from, no stale message
  setNav({ ...patch, findNote: null, invalid: null });
  last = null;
}

/** The find bar's query as the worker takes it. */
export function findQuery(n: NavState = useNav.getState()): FindQuery {
  switch (n.findKind) {
    case 'filter':
      return { kind: 'filter', text: n.findText };
    case 'hex':
      return { kind: 'hex', text: n.findText };
    case 'string':
      // the list's own columns and time format: what the person reads is what is searched
      return n.findScope === 'list'
        ? { kind: 'string', text: n.findText, scope: n.findScope, caseSensitive: n.caseSensitive, columns: visibleColumns(useColumns.getState().columns).map((c) => c.kind), time: store().timeFormat }
        : { kind: 'string', text: n.findText, scope: n.findScope, caseSensitive: n.caseSensitive };
  }
}

/** Find (Enter) or Previous (Shift+Enter) in the find bar. */
export function findNext(dir: FindDirection = 'next'): void {
  if (!store().meta) return;
  search(findQuery(), dir, 'find');
}

/** Stop the search that is running (the bar's Cancel). */
export function cancelSearch(): void {
  if (pending && client) client.send({ type: 'cancel', target: pending.id });
  pending = null;
  setNav({ searching: null });
}

/** The last match shown: a later search with the same query goes on past it within its packet. */
let last: { key: string; frame: number; pos: number } | null = null;
let pending: { id: number; purpose: 'find' | 'conversation'; key: string; dir: FindDirection; generation: number } | null = null;
let client: WorkerClient | null = null;

function search(query: FindQuery, dir: FindDirection, purpose: 'find' | 'conversation'): void {
  const c = workerClient();
  if (c !== client) {
    // a new worker (after a crash) has its own listeners
    client = c;
    c.on(onMessage);
  }
  const s = store();
  const key = JSON.stringify(query);
  const frame = s.selectedFrame;
  const from = frame ? { frame, ...(last && last.key === key && last.frame === frame ? { pos: last.pos } : {}) } : null;
  const id = c.send({ type: 'find', query, from, dir });
  pending = { id, purpose, key, dir, generation: s.generation };
  if (purpose === 'find') setNav({ searching: 0, invalid: null });
}

function onMessage(m: Response): void {
  const p = pending;
  if (!p || m.id !== p.id) return;
  if (m.type === 'find-progress') {
    if (p.purpose === 'find') setNav({ searching: m.total ? m.searched / m.total : 0 });
    return;
  }
  if (m.type !== 'found' && m.type !== 'cancelled' && m.type !== 'error') return;
  pending = null;
  setNav({ searching: null });
  if (m.type === 'error') {
    if (p.purpose === 'find') setNav({ findNote: { kind: 'none', text: m.error.message } });
    else showNote(m.error.message);
    return;
  }
  if (m.type === 'found' && m.generation === store().generation) answer(p, m.answer);
}

function answer(p: NonNullable<typeof pending>, a: FindAnswer): void {
  const find = p.purpose === 'find';
  switch (a.kind) {
    case 'invalid':
      if (find) setNav({ invalid: { message: a.message, start: a.start, end: a.end } });
      else showNote(a.message);
      return;
    case 'none':
      if (find) setNav({ findNote: { kind: 'none', text: t('find.none') } });
      else showNote(t('nav.noConversation'));
      return;
    case 'found': {
      last = { key: p.key, frame: a.match.frame, pos: a.match.pos };
      showMatch(a.match);
      const wrapped = a.wrapped ? t(p.dir === 'next' ? 'find.wrappedNext' : 'find.wrappedPrev') : '';
      if (find) setNav({ findNote: { kind: a.wrapped ? 'wrapped' : 'found', text: wrapped || t('find.found', { n: a.match.frame }) } });
      else if (wrapped) showNote(wrapped);
      return;
    }
  }
}

/** The node at a path of child indices (a details match). */
function nodeAt(roots: readonly KeyedNode[], path: readonly number[]): KeyedNode | null {
  let list = roots;
  let k: KeyedNode | null = null;
  for (const i of path) {
    k = list[i] ?? null;
    if (!k) return null;
    list = k.children;
  }
  return k;
}

let stopWaiting: (() => void) | null = null;

/** Select the packet found, then (once its tree is there) the tree item found or the field holding the bytes. */
function showMatch(m: FindMatch): void {
  stopWaiting?.();
  stopWaiting = null;
  setNav({ found: null });
  selectFrameNumber(m.frame);
  if (!m.path && m.len === undefined) return;
  /** false while the packet's tree has not arrived */
  const ready = (): boolean => {
    const s = store();
    return s.selectedFrame !== m.frame || s.packet?.frame === m.frame;
  };
  const apply = () => {
    const s = store();
    if (s.selectedFrame !== m.frame || !s.packet) return; // another packet was selected meanwhile
    const k = m.path ? nodeAt(s.packet.roots, m.path) : innermostAt(s.packet.roots, 0, m.pos);
    if (m.len !== undefined) setNav({ found: { frame: m.frame, start: m.pos, len: m.len, key: k?.key ?? null } });
    if (k) selectTreeKey(k.key, true);
  };
  if (ready()) return apply();
  const un = useStore.subscribe(() => {
    if (!ready()) return;
    un();
    stopWaiting = null;
    apply();
  });
  stopWaiting = un;
}

// the bytes found stay marked while their packet and field stay selected
useStore.subscribe((s) => {
  const f = useNav.getState().found;
  if (f && (s.selectedFrame !== f.frame || s.selectedKey !== f.key)) setNav({ found: null });
});

// a new capture: nothing to go on from
let lastGen = store().generation;
useStore.subscribe((s) => {
  if (s.generation === lastGen) return;
  lastGen = s.generation;
  last = null;
  setNav({ findNote: null, found: null });
});

// -----------------------------------------------------------------------------------------------
// View › Coloring Rules

export function openLegend(open = true): void {
  setNav({ legendOpen: open });
}
