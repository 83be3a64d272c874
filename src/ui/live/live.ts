// Live mode on the page: opened by a URL with #live=ws://127.0.0.1:N/TOKEN (printed by `wirelens live`).
// The worker opens the WebSocket and appends the stream's frames to the capture; this module keeps
// the live state (for the toolbar, the status bar and the packet list's auto-scroll), stops it,
// saves the capture, and keeps the sequence diagram up to date as packets arrive.

import { create } from 'zustand';
import type { LiveState, Response } from '../../worker/protocol';
import { useStore, openLive, liveClient, requestLadder, requestConversations } from '../store';

export interface LiveInfo {
  /** a live capture was opened in this page (stays true after it stopped, until another capture is opened) */
  active: boolean;
  /** the live-open request id */
  id: number;
  url: string;
  state: LiveState;
  /** why it stopped / broke */
  message: string;
  bytes: number;
  /** the interface and capture filter the bridge said it uses */
  iface: string;
  filter: string;
  /** a save is being prepared */
  saving: boolean;
}

export const useLive = create<LiveInfo>()(() => ({
  active: false,
  id: 0,
  url: '',
  state: 'connecting',
  message: '',
  bytes: 0,
  iface: '',
  filter: '',
  saving: false,
}));

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The WebSocket address in a location hash (#live=ws://…), or null; `error` when it is not acceptable. */
export function liveUrlFromHash(hash: string): { url: string; error: string | null } | null {
  const m = /^#?live=(.+)$/.exec(hash);
  if (!m) return null;
  let url = m[1]!;
  try {
    url = decodeURIComponent(url);
  } catch {
    /* keep as is */
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url, error: `“${url}” is not a WebSocket address.` };
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return { url, error: `“${url}” is not a WebSocket address (ws://…).` };
  // the bridge only ever listens on loopback: refuse anything else (a link must not make the page connect elsewhere)
  if (!LOOPBACK.has(u.hostname)) return { url, error: `Live capture connects only to this machine (127.0.0.1), not to ${u.hostname}.` };
  return { url: u.href, error: null };
}

let listeningTo: object | null = null;
let subscribed = false;
let saveId = 0;

/** Listen to the worker (again after the store started a new one) and to the frame count. */
function listen(): void {
  const c = liveClient();
  if (listeningTo !== c) {
    listeningTo = c;
    c.on(onMessage);
  }
  if (subscribed) return;
  subscribed = true;
  // keep the diagram of the live conversation current (throttled)
  useStore.subscribe((s, prev) => {
    if (s.frames === prev.frames) return;
    diagramTick();
    convTick();
  });
}

function onMessage(m: Response): void {
  const L = useLive.getState();
  switch (m.type) {
    case 'live':
      if (m.id !== L.id) return;
      useLive.setState({ state: m.state, message: m.message, bytes: m.bytes, ...(m.iface !== undefined ? { iface: m.iface, filter: m.filter ?? '' } : {}) });
      if (m.state !== 'connecting' && m.state !== 'live') diagramTick(true);
      return;
    case 'opened':
      // another capture replaces the live one
      if (L.active && m.id !== L.id) {
        if (L.state === 'connecting' || L.state === 'live') liveClient().send({ type: 'live-stop' });
        useLive.setState({ active: false });
      }
      return;
    case 'progress':
    case 'loaded': {
      if (!L.active) return;
      const s = useStore.getState();
      if (s.meta && m.generation === s.generation && s.meta.size !== m.total) useStore.setState({ meta: { ...s.meta, size: m.total } });
      return;
    }
    case 'saved':
      if (m.id !== saveId) return;
      useLive.setState({ saving: false });
      download(m.data, saveName());
      return;
    case 'error':
      if (m.request === 'save' && m.id === saveId) useLive.setState({ saving: false });
      return;
  }
}

/** the diagram is asked for at most this often while packets arrive (and one request at a time) */
const DIAGRAM_EVERY = 120;
let diagramTimer: ReturnType<typeof setTimeout> | null = null;
let diagramLast = 0;
let waits = 0;

/** Ask again for the diagram of the conversation shown (or of the selected packet) while packets arrive. */
function diagramTick(now = false): void {
  if (!useLive.getState().active) return;
  const run = () => {
    diagramTimer = null;
    const s = useStore.getState();
    if (!s.diagramOpen || !s.selectedFrame) return;
    // one diagram request at a time (each answer redraws it): ask again once the one in flight is answered
    if (s.ladderLoading && waits++ < 50) {
      diagramTimer = setTimeout(run, 60);
      return;
    }
    waits = 0;
    diagramLast = performance.now();
    const c = s.ladder?.conv;
    if (c && c.kind !== 'icmp' && c.stream !== undefined) requestLadder({ kind: c.kind, stream: c.stream });
    else requestLadder({ frame: s.selectedFrame });
  };
  if (now) {
    if (diagramTimer) clearTimeout(diagramTimer);
    run();
    return;
  }
  if (diagramTimer) return;
  diagramTimer = setTimeout(run, Math.max(0, DIAGRAM_EVERY - (performance.now() - diagramLast)));
}

let convTimer: ReturnType<typeof setTimeout> | null = null;

/** The Conversations window, when open, is counted again about once a second while packets arrive. */
function convTick(): void {
  if (convTimer || !useLive.getState().active) return;
  convTimer = setTimeout(() => {
    convTimer = null;
    const s = useStore.getState();
    if (s.convOpen && s.conv?.tables) requestConversations(true);
  }, 1000);
}

/** Start live mode from the page's address (#live=…); false when the address asks for none. */
export function startLiveFromLocation(): boolean {
  const r = liveUrlFromHash(location.hash);
  if (!r) return false;
  startLive(r.url, r.error);
  return true;
}

export function startLive(url: string, error: string | null = null): void {
  if (error) {
    useLive.setState({ active: true, id: -1, url, state: 'broken', message: error, bytes: 0, iface: '', filter: '' });
    return;
  }
  const id = openLive(url, 'Live capture');
  listen();
  useLive.setState({ active: true, id, url, state: 'connecting', message: '', bytes: 0, iface: '', filter: '', saving: false });
}

/** Stop: the socket is closed; the packets received stay. */
export function stopLive(): void {
  const L = useLive.getState();
  if (!L.active || (L.state !== 'connecting' && L.state !== 'live')) return;
  listen();
  liveClient().send({ type: 'live-stop' });
}

/** Save the capture as pcapng (a download). */
export function saveCapture(): void {
  if (!useStore.getState().meta) return;
  listen();
  saveId = liveClient().send({ type: 'save' });
  useLive.setState({ saving: true });
}

function saveName(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
  const L = useLive.getState();
  if (L.active) return `live${L.iface ? '-' + L.iface.replace(/[^\w.-]/g, '_') : ''}-${stamp}.pcapng`;
  const name = useStore.getState().meta?.name ?? 'capture';
  return `${name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '')}.pcapng`;
}

function download(data: Uint8Array, name: string): void {
  const url = URL.createObjectURL(new Blob([data as BlobPart], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
