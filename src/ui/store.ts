// Application state (zustand) and the controller that talks to the capture worker.
import { useColumns, customRequest } from './columns/state';
import { create } from 'zustand';
import { WorkerClient } from './client';
import { RowCache } from './rowCache';
import type {
  CaptureMeta,
  ConvRef,
  ConvTables,
  ConvTarget,
  FieldInfo,
  FilterCheck,
  FollowPayload,
  LadderModel,
  Response,
  SourceBytes,
  TreeNode,
} from '../worker/protocol';
import { keyTree, findKey, ancestors, type KeyedNode } from './tree';
import { rowIndexOfFrame } from '../core/analysis/ladder';
import type { SeqMode, TimeMode } from '../core/analysis/ladder-types';
import type { Prefs } from '../core/dissect/session';
import { isTimeFormat, type TimeFormat } from '../core/time';

export type ThemeChoice = 'system' | 'light' | 'dark' | 'contrast';

/** The dissection preferences the Preferences dialog sets (Wireshark's ip/tcp/udp.check_checksum). */
export type DissectPrefs = Pick<Prefs, 'ipCheckChecksum' | 'tcpCheckChecksum' | 'udpCheckChecksum'>;
export const DEFAULT_DISSECT_PREFS: DissectPrefs = { ipCheckChecksum: false, tcpCheckChecksum: false, udpCheckChecksum: false };

export interface PacketView {
  frame: number;
  roots: KeyedNode[];
  sources: SourceBytes[];
}

export interface Notice {
  kind: 'error' | 'warning';
  message: string;
  /** the file the message is about */
  file: string;
}

export interface State {
  // capture
  meta: CaptureMeta | null;
  generation: number;
  view: number;
  opening: string | null;
  loading: boolean;
  frames: number;
  /** frames the worker's first pass (dissection, analysis) has been through; reading runs ahead of it */
  analysed: number;
  displayed: number;
  /** displayed frame numbers when a filter is active (a prefix while loading), else null = all */
  displayedFrames: Uint32Array | null;
  bytesRead: number;
  total: number;
  loadMs: number | null;
  timeDigits: number;
  notice: Notice | null;
  rowsVersion: number;

  // filter
  filterInput: string;
  appliedFilter: string;
  filterCheck: FilterCheck | null;
  /** the text `filterCheck` is about */
  filterCheckText: string;
  /** the message shown under the filter bar after Enter on an invalid filter */
  filterError: string | null;
  filtering: boolean;
  /** share of the loaded frames the running filter has tested, 0..1 */
  filterProgress: number;
  filterMs: number | null;
  /** the registry's protocols and fields for autocomplete (asked for once, on first use) */
  fieldList: FieldInfo[] | null;

  // selection
  selectedIndex: number;
  selectedFrame: number;
  packet: PacketView | null;
  /** the frame whose tree waits for the first pass to reach it (0: none) */
  packetWaiting: number;
  expanded: ReadonlySet<string>;
  selectedKey: string | null;
  activeSource: number;

  // view
  theme: ThemeChoice;
  colorize: boolean;
  /** the packet list shows each packet as `tcpdump -n` prints it (View › tcpdump -n format), remembered */
  tcpdumpList: boolean;
  /** the Time column's format (View › Time Display Format; tshark's -t letter), remembered */
  timeFormat: TimeFormat;
  /** dissection preferences, remembered in localStorage; changing them dissects the capture again */
  dissectPrefs: DissectPrefs;

  // sequence diagram pane
  diagramOpen: boolean;
  diagramMax: boolean;
  /** share of the workspace width the diagram pane takes */
  diagramWidth: number;
  diagramOptions: { timeMode: TimeMode; seqMode: SeqMode };
  ladder: { model: LadderModel; conv: ConvRef } | null;
  ladderLoading: boolean;
  /** why the diagram does not show the selected packet's conversation */
  ladderNote: string | null;

  // Follow TCP/UDP stream
  follow: FollowState | null;

  // Conversations
  convOpen: boolean;
  conv: ConvState | null;
}

export interface FollowState {
  kind: 'tcp' | 'udp';
  loading: boolean;
  result: FollowPayload | null;
  reason: string | null;
  /** the display filter before Follow applied the stream's (restored by Back) */
  prevFilter: string;
}

export interface ConvState {
  tables: ConvTables | null;
  frames: number;
  /** 0..1 while counting */
  progress: number;
  ms: number;
}

const initial: State = {
  meta: null,
  generation: 0,
  view: 0,
  opening: null,
  loading: false,
  frames: 0,
  analysed: 0,
  displayed: 0,
  displayedFrames: null,
  bytesRead: 0,
  total: 0,
  loadMs: null,
  timeDigits: 6,
  notice: null,
  rowsVersion: 0,
  filterInput: '',
  appliedFilter: '',
  filterCheck: null,
  filterCheckText: '',
  filterError: null,
  filtering: false,
  filterProgress: 0,
  filterMs: null,
  fieldList: null,
  selectedIndex: -1,
  selectedFrame: 0,
  packet: null,
  packetWaiting: 0,
  expanded: new Set(),
  selectedKey: null,
  activeSource: 0,
  theme: 'system',
  colorize: true,
  tcpdumpList: false,
  timeFormat: 'r',
  dissectPrefs: DEFAULT_DISSECT_PREFS,
  diagramOpen: false,
  diagramMax: false,
  diagramWidth: 0.42,
  diagramOptions: { timeMode: 'proportional', seqMode: 'relative' },
  ladder: null,
  ladderLoading: false,
  ladderNote: null,
  follow: null,
  convOpen: false,
  conv: null,
};

const LS_THEME = 'wirelens.theme';
const LS_COLOR = 'wirelens.colorize';
const LS_TCPDUMP = 'wirelens.tcpdumpList';
const LS_TIME = 'wirelens.timeFormat';
const LS_DIAGRAM = 'wirelens.diagram.v1';
const LS_PREFS = 'wirelens.prefs.v1';

interface DiagramPrefs {
  open: boolean;
  width: number;
  timeMode: TimeMode;
  seqMode: SeqMode;
}

function loadDiagramPrefs(): Partial<State> {
  try {
    const v = JSON.parse(localStorage.getItem(LS_DIAGRAM) ?? 'null') as Partial<DiagramPrefs> | null;
    if (!v || typeof v !== 'object') return {};
    const out: Partial<State> = {};
    if (typeof v.open === 'boolean') out.diagramOpen = v.open;
    if (typeof v.width === 'number' && v.width >= 0.1 && v.width <= 0.9) out.diagramWidth = v.width;
    out.diagramOptions = {
      timeMode: v.timeMode === 'even' ? 'even' : 'proportional',
      seqMode: v.seqMode === 'absolute' ? 'absolute' : 'relative',
    };
    return out;
  } catch {
    return {};
  }
}

function saveDiagramPrefs(): void {
  const s = get();
  const v: DiagramPrefs = { open: s.diagramOpen, width: Math.round(s.diagramWidth * 10000) / 10000, ...s.diagramOptions };
  writeLS(LS_DIAGRAM, JSON.stringify(v));
}

function readLS(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function writeLS(key: string, v: string | null): void {
  try {
    if (v === null) localStorage.removeItem(key);
    else localStorage.setItem(key, v);
  } catch {
    /* storage may be unavailable */
  }
}

export const useStore = create<State>()(() => ({
  ...initial,
  theme: ((): ThemeChoice => {
    const t = readLS(LS_THEME);
    return t === 'light' || t === 'dark' || t === 'contrast' ? t : 'system';
  })(),
  colorize: readLS(LS_COLOR) !== '0',
  tcpdumpList: readLS(LS_TCPDUMP) === '1',
  timeFormat: ((): TimeFormat => {
    const t = readLS(LS_TIME);
    return t && isTimeFormat(t) ? t : 'r';
  })(),
  dissectPrefs: loadDissectPrefs(),
  ...loadDiagramPrefs(),
}));

const set = useStore.setState;
const get = useStore.getState;

// -----------------------------------------------------------------------------------------------
// worker plumbing

let client: WorkerClient | null = null;
export const rows = new RowCache((start, count) => {
  const custom = customRequest(useColumns.getState().columns);
  client?.send({ type: 'rows', start, count, time: get().timeFormat, ...(get().tcpdumpList ? { tcpdump: true } : {}), ...(custom.columns.length ? { columns: custom.columns } : {}) });
});

// a custom column added, removed, moved or shown resolved: the cached rows are fetched again with its texts
useColumns.subscribe((now, before) => {
  if (customRequest(now.columns).key === customRequest(before.columns).key) return;
  rows.reset(rows.view);
  set({ rowsVersion: get().rowsVersion + 1 });
});

/** ids of requests whose answers we still care about */
const latest = { open: 0, select: 0, filter: 0, check: 0, ladder: 0, follow: 0, conv: 0 };
/** the ladder being shown was asked for while the capture was still loading (ask again once loaded) */
let ladderPartial = false;
/** a row index to select once its frame number is known (filtered list still loading) */
let pendingSelectIndex = -1;

/** The worker client, for requests the store does not handle itself (classroom episodes). */
export function workerClient(): WorkerClient {
  connect();
  return client!;
}

export function connect(): void {
  if (client) return;
  client = new WorkerClient(workerStopped);
  client.on(onMessage);
}

/**
 * The worker died (an uncaught exception, or memory ran out): say so and drop the capture it held. The page
 * stays usable; the next request (opening a file) starts a new worker.
 */
function workerStopped(message: string): void {
  client?.terminate();
  client = null;
  const s = get();
  const file = s.opening ?? s.meta?.name ?? '';
  rows.reset(-1);
  pendingSelectIndex = -1;
  set({
    meta: null,
    opening: null,
    loading: false,
    frames: 0,
    displayed: 0,
    displayedFrames: null,
    bytesRead: 0,
    total: 0,
    loadMs: null,
    filtering: false,
    selectedIndex: -1,
    selectedFrame: 0,
    packet: null,
    packetWaiting: 0,
    selectedKey: null,
    ladder: null,
    ladderLoading: false,
    follow: null,
    conv: null,
    rowsVersion: s.rowsVersion + 1,
    notice: { kind: 'error', message: `The capture worker stopped (${message}). Open the file again, or another one.`, file },
  });
}

function onMessage(m: Response): void {
  const s = get();
  switch (m.type) {
    case 'opened': {
      lastOpened = requestedOpen?.id === m.id ? requestedOpen : null;
      rows.reset(m.view);
      set({
        meta: m.meta,
        generation: m.generation,
        view: m.view,
        opening: null,
        loading: true,
        frames: 0,
        displayed: 0,
        displayedFrames: m.filterText ? new Uint32Array(0) : null,
        appliedFilter: m.filterText,
        bytesRead: 0,
        total: m.meta.size,
        loadMs: null,
        notice: null,
        selectedIndex: -1,
        selectedFrame: 0,
        packet: null,
        packetWaiting: 0,
        selectedKey: null,
        activeSource: 0,
        rowsVersion: s.rowsVersion + 1,
        ladder: null,
        ladderNote: null,
        ladderLoading: false,
        follow: null,
        conv: null,
      });
      document.title = `${m.meta.name} — Wirelens`;
      if (s.convOpen) requestConversations();
      return;
    }
    case 'progress':
      if (m.generation !== s.generation) return;
      set({
        frames: m.frames,
        displayed: m.displayed,
        bytesRead: m.bytesRead,
        total: m.total,
        analysed: m.analysed ?? m.frames,
        // rows shown before the first pass reached them are asked for again once it has
        ...(m.analysed !== undefined && rows.dropProvisional(m.analysed) ? { rowsVersion: s.rowsVersion + 1 } : {}),
      });
      autoSelectFirst();
      return;
    case 'loaded':
      if (m.generation !== s.generation) return;
      rows.dropProvisional(m.frames);
      const finalFrames = m.displayedFrames ?? (s.appliedFilter ? s.displayedFrames : null);
      set({
        // a packet selected while a filter's list was still partial gets its row once the list is whole
        ...(s.selectedFrame ? { selectedIndex: indexOfFrame(finalFrames, m.displayed, s.selectedFrame) } : {}),
        analysed: m.frames,
        loading: false,
        frames: m.frames,
        displayed: m.displayed,
        bytesRead: m.bytesRead,
        total: m.total,
        loadMs: m.ms,
        displayedFrames: finalFrames,
        notice: m.error
          ? {
              kind: m.error.kind === 'cut-short' ? 'warning' : 'error',
              message: m.error.message,
              file: s.meta?.name ?? '',
            }
          : null,
        rowsVersion: s.rowsVersion + 1,
      });
      autoSelectFirst();
      // the diagram was built from the frames read so far: build it again from all of them
      if (ladderPartial && s.diagramOpen && s.ladder?.conv.stream !== undefined) {
        const c = s.ladder.conv;
        requestLadder(c.kind === 'icmp' ? { frame: s.selectedFrame } : { kind: c.kind, stream: c.stream! });
      }
      return;
    case 'rows':
      // rows asked for before the list style changed are asked for again in the new one
      if (m.generation !== s.generation || !!m.tcpdump !== s.tcpdumpList || m.time !== s.timeFormat || m.columnsKey !== customRequest(useColumns.getState().columns).key) return;
      if (rows.put(m.view, m.start, m.rows)) {
        set({ rowsVersion: s.rowsVersion + 1, timeDigits: m.timeDigits });
        if (pendingSelectIndex >= 0) {
          const r = rows.get(pendingSelectIndex);
          if (r) {
            const i = pendingSelectIndex;
            pendingSelectIndex = -1;
            selectIndex(i);
          }
        }
      }
      return;
    case 'filtered': {
      // every 'filtered' message is the list the worker now displays (the latest request, or a
      // filter kept across an open), so it always applies
      rows.reset(m.view);
      const frames = m.frames;
      // keep the selected packet selected if it is still displayed
      let idx = -1;
      if (s.selectedFrame) idx = indexOfFrame(frames, m.displayed, s.selectedFrame);
      set({
        view: m.view,
        appliedFilter: m.text,
        displayedFrames: frames,
        displayed: m.displayed,
        filtering: m.id === latest.filter ? false : s.filtering,
        filterMs: m.ms,
        selectedIndex: idx,
        rowsVersion: s.rowsVersion + 1,
      });
      return;
    }
    case 'filtering':
      if (m.id === latest.filter) set({ filterProgress: m.total ? m.tested / m.total : 0 });
      return;
    case 'checked':
      if (m.id !== latest.check) return;
      set({ filterCheck: m.result, filterCheckText: m.text });
      return;
    case 'fields':
      set({ fieldList: m.fields });
      return;
    case 'packet': {
      if (m.id !== latest.select || m.generation !== s.generation) return;
      const roots = keyTree(m.tree);
      let selectedKey = s.selectedKey && findKey(roots, s.selectedKey) ? s.selectedKey : null;
      const sel = selectedKey ? findKey(roots, selectedKey) : null;
      const activeSource = sel && sel.node.src < m.sources.length ? sel.node.src : 0;
      if (!sel) selectedKey = null;
      set({ packet: { frame: m.frame, roots, sources: m.sources as SourceBytes[] }, packetWaiting: 0, selectedKey, activeSource });
      return;
    }
    case 'packet-waiting':
      if (m.id !== latest.select || m.generation !== s.generation) return;
      set({ packetWaiting: m.frame });
      return;
    case 'ladder': {
      if (m.id !== latest.ladder || m.generation !== s.generation) return;
      if (m.model && m.conv) set({ ladder: { model: m.model, conv: m.conv }, ladderLoading: false, ladderNote: null });
      else set({ ladderLoading: false, ladderNote: m.reason ?? 'No conversation.' });
      return;
    }
    case 'follow': {
      if (m.id !== latest.follow || !s.follow) return;
      if (!m.result) {
        set({ follow: { ...s.follow, loading: false, result: null, reason: m.reason ?? 'Nothing to follow.' } });
        return;
      }
      set({ follow: { ...s.follow, loading: false, result: m.result, reason: null } });
      // like Wireshark, following a stream filters the list on it
      if (s.appliedFilter !== m.result.filter) applyFilterText(m.result.filter);
      return;
    }
    case 'conversations-progress':
      if (m.id !== latest.conv || m.generation !== s.generation) return;
      set({ conv: { tables: s.conv?.tables ?? null, frames: m.done, progress: m.total ? m.done / m.total : 0, ms: 0 } });
      return;
    case 'conversations':
      if (m.id !== latest.conv || m.generation !== s.generation) return;
      set({ conv: { tables: m.tables, frames: m.frames, progress: 1, ms: m.ms } });
      return;
    case 'cancelled':
      return;
    case 'error':
      if (m.request === 'open') {
        if (m.id !== latest.open) return;
        set({ opening: null, notice: { kind: 'error', message: m.error.message, file: s.opening ?? '' } });
      } else if (m.request === 'filter') {
        if (m.id !== latest.filter) return;
        set({
          filtering: false,
          filterError: m.error.message,
          filterCheck: { ok: false, message: m.error.message, start: 0, end: 0 },
          filterCheckText: s.filterInput,
        });
      } else if (m.request === 'stats' || m.request === 'export') {
        // the statistics and export windows show their own errors
        return;
      } else if (m.request === 'select') {
        if (m.id !== latest.select) return;
        set({
          packet: null,
          packetWaiting: 0,
          notice: { kind: 'error', message: `Could not show frame ${s.selectedFrame}: ${m.error.message}`, file: s.meta?.name ?? '' },
        });
      } else {
        set({ notice: { kind: 'error', message: m.error.message, file: s.meta?.name ?? '' } });
      }
      return;
  }
}

/** The row of `frame` in the displayed list (`frames` null = all frames), or -1 when it is not displayed. */
export function indexOfFrame(frames: Uint32Array | null, displayed: number, frame: number): number {
  if (!frames) return frame <= displayed ? frame - 1 : -1;
  let lo = 0,
    hi = frames.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = frames[mid]!;
    if (v === frame) return mid;
    if (v < frame) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** Wireshark selects nothing on open; we select the first packet once it exists so the panes are not empty. */
function autoSelectFirst(): void {
  const s = get();
  if (reselect) {
    // dissected again with other preferences: the same packet and field once it is there
    if (s.loading && (s.frames < reselect.frame || s.appliedFilter)) return;
    const r = reselect;
    reselect = null;
    set({ selectedKey: r.key });
    selectFrameNumber(r.frame);
    return;
  }
  if (s.selectedFrame === 0 && s.selectedIndex < 0 && s.displayed > 0 && !s.packet) selectIndex(0);
}

// -----------------------------------------------------------------------------------------------
// actions

/** the file of the last open request, and of the capture shown (null for a live capture): to open it again */
let requestedOpen: { id: number; file: Blob; name: string } | null = null;
let lastOpened: { id: number; file: Blob; name: string } | null = null;
/** after opening the same file again with other preferences: the packet and tree item to select again */
let reselect: { frame: number; key: string | null } | null = null;

export function openFile(file: Blob, name: string): void {
  connect();
  latest.open = client!.send({ type: 'open', file, name, prefs: get().dissectPrefs });
  requestedOpen = { id: latest.open, file, name };
  reselect = null;
  set({ opening: name });
}

function loadDissectPrefs(): DissectPrefs {
  try {
    const v = JSON.parse(readLS(LS_PREFS) ?? 'null') as Partial<DissectPrefs> | null;
    const out = { ...DEFAULT_DISSECT_PREFS };
    for (const k of Object.keys(out) as (keyof DissectPrefs)[]) if (typeof v?.[k] === 'boolean') out[k] = v[k];
    return out;
  } catch {
    return { ...DEFAULT_DISSECT_PREFS };
  }
}

/**
 * Change the dissection preferences: remembered, and the capture shown is dissected again (its file opened
 * again with them, as Wireshark redissects), keeping the display filter and the selected packet and field.
 */
export function setDissectPrefs(p: DissectPrefs): void {
  writeLS(LS_PREFS, JSON.stringify(p));
  set({ dissectPrefs: p });
  const s = get();
  if (!lastOpened || !s.meta) return;
  openFile(lastOpened.file, lastOpened.name);
  reselect = s.selectedFrame ? { frame: s.selectedFrame, key: s.selectedKey } : null;
}

/** Live capture (src/ui/live): the worker opens the bridge's WebSocket; returns the request id. */
export function openLive(url: string, name: string): number {
  connect();
  latest.open = client!.send({ type: 'live-open', url, name });
  set({ opening: name });
  return latest.open;
}

/** The worker client, for live mode's own requests and messages. */
export function liveClient(): WorkerClient {
  connect();
  return client!;
}

/** names of the captures opened as built-in samples (lesson links name them as samples) */
export const samplesOpened = new Set<string>();

/** Open a built-in sample; at start-up (`replace` false) a capture opened meanwhile wins over it. */
export async function openSample(name = 'http-get.pcap', opts: { replace?: boolean } = {}): Promise<void> {
  const url = `${import.meta.env.BASE_URL}samples/${encodeURIComponent(name)}`;
  try {
    const r = await fetch(url);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    // a capture opened meanwhile (e.g. dropped by the user) wins over the start-up sample
    if (!opts.replace && (get().meta || get().opening)) return;
    samplesOpened.add(name);
    openFile(await r.blob(), name);
  } catch (e) {
    set({ notice: { kind: 'error', message: `Could not load the sample capture: ${String(e)}`, file: name } });
  }
}

export function frameAtIndex(i: number): number {
  const s = get();
  if (i < 0 || i >= s.displayed) return 0;
  if (!s.displayedFrames) return i + 1;
  if (i < s.displayedFrames.length) return s.displayedFrames[i]!;
  return rows.get(i)?.num ?? 0;
}

export function selectIndex(i: number): void {
  const s = get();
  if (s.displayed === 0) return;
  const idx = Math.max(0, Math.min(s.displayed - 1, i));
  const frame = frameAtIndex(idx);
  if (!frame) {
    pendingSelectIndex = idx;
    rows.ensure(idx, idx, s.displayed);
    set({ selectedIndex: idx });
    return;
  }
  set({ selectedIndex: idx });
  selectFrame(frame);
}

function selectFrame(frame: number): void {
  if (get().selectedFrame === frame && get().packet?.frame === frame) return;
  set({ selectedFrame: frame });
  latest.select = client!.send({ type: 'select', frame });
  diagramFollowSelection();
}

/**
 * Select a packet by frame number (from the diagram, Follow or elsewhere): its row when it is displayed,
 * else only the tree and bytes.
 */
export function selectFrameNumber(frame: number): void {
  const s = get();
  if (!client || frame < 1) return;
  const idx = indexOfFrame(s.displayedFrames, s.displayed, frame);
  if (idx >= 0 && frameAtIndex(idx) === frame) {
    selectIndex(idx);
    return;
  }
  set({ selectedIndex: -1 });
  selectFrame(frame);
}

// -----------------------------------------------------------------------------------------------
// sequence diagram

/** When the selected packet is in another conversation than the one shown, show its conversation. */
function diagramFollowSelection(): void {
  const s = get();
  if (!s.diagramOpen || !s.selectedFrame) return;
  if (s.ladder && rowIndexOfFrame(s.ladder.model, s.selectedFrame) >= 0) {
    if (s.ladderNote) set({ ladderNote: null });
    return;
  }
  requestLadder({ frame: s.selectedFrame });
}

export function requestLadder(target: ConvTarget): void {
  connect();
  ladderPartial = get().loading;
  latest.ladder = client!.send({ type: 'ladder', target });
  set({ ladderLoading: true });
}

export function setDiagramOpen(open: boolean): void {
  set({ diagramOpen: open, diagramMax: open ? get().diagramMax : false });
  saveDiagramPrefs();
  if (open) diagramFollowSelection();
}

/** Open the diagram on a conversation (from the Conversations table). */
export function showDiagramOf(target: ConvTarget): void {
  set({ diagramOpen: true });
  saveDiagramPrefs();
  requestLadder(target);
}

export function setDiagramMax(max: boolean): void {
  set({ diagramMax: max });
}

export function setDiagramWidth(w: number, persist: boolean): void {
  set({ diagramWidth: Math.max(0.1, Math.min(0.9, w)) });
  if (persist) saveDiagramPrefs();
}

export function setDiagramOptions(o: { timeMode: TimeMode; seqMode: SeqMode }): void {
  set({ diagramOptions: o });
  saveDiagramPrefs();
}

// -----------------------------------------------------------------------------------------------
// Follow TCP / UDP stream

/** Follow the stream of the selected packet (or stream `stream`); the list is filtered on it. */
export function openFollow(kind: 'tcp' | 'udp', stream?: number): void {
  connect();
  const s = get();
  if (!s.meta) return;
  const frame = stream === undefined ? s.selectedFrame : undefined;
  if (stream === undefined && !frame) return;
  const prevFilter = s.follow ? s.follow.prevFilter : s.appliedFilter;
  latest.follow = client!.send(stream === undefined ? { type: 'follow', kind, frame } : { type: 'follow', kind, stream });
  set({ follow: { kind, loading: true, result: s.follow?.kind === kind ? s.follow.result : null, reason: null, prevFilter } });
}

/** Close Follow; `restore` puts back the filter that was applied before (Wireshark's Back). */
export function closeFollow(restore: boolean): void {
  const f = get().follow;
  set({ follow: null });
  if (restore && f && get().appliedFilter !== f.prevFilter) applyFilterText(f.prevFilter);
}

// -----------------------------------------------------------------------------------------------
// Conversations

/** `keep`: the tables shown stay until the new ones arrive (a live capture refreshing them). */
export function requestConversations(keep = false): void {
  connect();
  latest.conv = client!.send({ type: 'conversations' });
  const old = get().conv;
  set({ conv: keep && old?.tables ? old : { tables: null, frames: 0, progress: 0, ms: 0 } });
}

export function setConversationsOpen(open: boolean): void {
  set({ convOpen: open });
  if (open && !get().conv?.tables) requestConversations();
}

/** Put a filter in the bar and apply it (Apply as Filter). */
export function applyFilterText(text: string): void {
  setFilterInput(text);
  applyFilter(text);
}

/** Top-level protocol layers of the selected packet (e.g. ['frame', 'eth', 'ip', 'tcp', 'http']). */
export function selectedLayers(s: State = get()): string[] {
  if (!s.packet || s.packet.frame !== s.selectedFrame) return [];
  return s.packet.roots.map((r) => r.node.abbrev);
}

export function setFilterInput(text: string): void {
  set({ filterInput: text, filterError: null });
  if (!client) return;
  latest.check = client.send({ type: 'check', text });
}

export function applyFilter(text = get().filterInput): void {
  connect();
  const s = get();
  if (s.filterCheck && !s.filterCheck.ok && s.filterCheckText === text) {
    set({ filterError: s.filterCheck.message });
    return;
  }
  latest.filter = client!.send({ type: 'filter', text });
  set({ filtering: true, filterProgress: 0, filterError: null });
}

let fieldsRequested = false;

/** Ask the worker for the field list once (autocomplete); it arrives in `fieldList`. */
export function requestFields(): void {
  if (fieldsRequested) return;
  connect();
  fieldsRequested = true;
  client!.send({ type: 'fields' });
}

export function clearFilter(): void {
  set({ filterInput: '', filterCheck: null, filterError: null });
  applyFilter('');
}

export function dismissNotice(): void {
  set({ notice: null });
}

// tree

export function setExpanded(keys: string[], on: boolean): void {
  const next = new Set(get().expanded);
  for (const k of keys) {
    if (on) next.add(k);
    else next.delete(k);
  }
  set({ expanded: next });
}

export function selectTreeKey(key: string | null, reveal = false): void {
  const s = get();
  const k = key && s.packet ? findKey(s.packet.roots, key) : null;
  const patch: Partial<State> = { selectedKey: k ? k.key : null };
  // show the data source the item's bytes are in
  if (k && k.node.len > 0 && k.node.src < (s.packet?.sources.length ?? 0)) patch.activeSource = k.node.src;
  if (k && reveal) {
    const next = new Set(s.expanded);
    for (const a of ancestors(k)) next.add(a.key);
    patch.expanded = next;
  }
  set(patch);
}

export function setActiveSource(i: number): void {
  set({ activeSource: i });
}

// view

export function setTheme(t: ThemeChoice): void {
  writeLS(LS_THEME, t === 'system' ? null : t);
  set({ theme: t });
}

export function setColorize(on: boolean): void {
  writeLS(LS_COLOR, on ? null : '0');
  set({ colorize: on });
}

/** Show the packet list as tcpdump lines or as columns; the cached rows are fetched again in the new style. */
export function setTcpdumpList(on: boolean): void {
  writeLS(LS_TCPDUMP, on ? '1' : null);
  rows.reset(rows.view);
  set({ tcpdumpList: on, rowsVersion: get().rowsVersion + 1 });
}

/** The Time column's format; the cached rows are fetched again with it. */
export function setTimeFormat(fmt: TimeFormat): void {
  writeLS(LS_TIME, fmt === 'r' ? null : fmt);
  rows.reset(rows.view);
  set({ timeFormat: fmt, rowsVersion: get().rowsVersion + 1 });
}

export type { TreeNode };
