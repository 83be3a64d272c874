// Live capture in the worker: a WebSocket to the `wirelens live` bridge whose binary messages are the
// bytes of a pcap stream (the first ones carry the file header). The session appends them to a
// GrowingSource and reads frames with the same readers it uses for files.

import type { LiveState } from './protocol';

/** What the feed needs of a WebSocket (the browser's WebSocket fits; tests pass a fake). */
export interface LiveSocket {
  binaryType: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(code?: number, reason?: string): void;
}

export type ConnectLive = (url: string) => LiveSocket;

export const browserConnect: ConnectLive | undefined =
  typeof WebSocket === 'function' ? (url) => new WebSocket(url) as unknown as LiveSocket : undefined;

export interface LiveHandlers {
  /** bytes of the stream, in order */
  data(bytes: Uint8Array): void;
  /** the feed's state changed; `message` says why for stopped/ended/broken */
  state(state: LiveState, message: string): void;
  /** what the bridge says about the capture (its first, text, message) */
  info?(info: { interface?: string; filter?: string }): void;
}

/** Close code the bridge uses when the capture ended normally (tcpdump exited, bridge stopped). */
const NORMAL = 1000;

/** A ws:// or wss:// URL, or an explanation of what is wrong with it. */
export function checkLiveUrl(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `“${url}” is not a WebSocket address.`;
  }
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:') return `“${url}” is not a WebSocket address (ws://…).`;
  return null;
}

export class LiveFeed {
  private sock: LiveSocket | null = null;
  private finished = false;
  private opened = false;
  bytes = 0;

  constructor(
    readonly url: string,
    private readonly h: LiveHandlers,
    connect: ConnectLive | undefined = browserConnect,
  ) {
    const bad = checkLiveUrl(url);
    if (bad || !connect) {
      this.finish('broken', bad ?? 'This browser cannot open WebSockets.');
      return;
    }
    h.state('connecting', '');
    let s: LiveSocket;
    try {
      s = connect(url);
    } catch (e) {
      this.finish('broken', `Could not connect to the capture bridge: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    this.sock = s;
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      if (this.finished) return;
      this.opened = true;
      h.state('live', '');
    };
    s.onmessage = (ev) => {
      if (this.finished) return;
      const d = ev.data;
      if (typeof d === 'string') {
        try {
          const j = JSON.parse(d) as { wirelens?: string; interface?: unknown; filter?: unknown };
          if (j.wirelens === 'live') h.info?.({ interface: String(j.interface ?? ''), filter: String(j.filter ?? '') });
        } catch {
          /* not ours */
        }
        return;
      }
      let b: Uint8Array | null = null;
      if (d instanceof ArrayBuffer) b = new Uint8Array(d);
      else if (ArrayBuffer.isView(d)) b = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      if (!b || b.length === 0) return; // text messages are not part of the stream
      this.bytes += b.length;
      h.data(b);
    };
    s.onerror = () => {
      /* the close event that follows says what happened */
    };
    s.onclose = (ev) => {
      if (this.finished) return;
      this.sock = null;
      if (!this.opened) {
        this.finish(
          'broken',
          'Could not connect to the capture bridge. Is `wirelens live` still running, and is this the address it printed?',
        );
      } else if (ev.code === NORMAL) {
        this.finish('ended', ev.reason ? `The capture bridge ended the capture: ${ev.reason}` : 'The capture bridge ended the capture.');
      } else {
        const why = ev.reason ? `: ${ev.reason}` : ` (connection lost, code ${ev.code})`;
        this.finish('broken', `The live capture stream broke${why}.`);
      }
    };
  }

  get done(): boolean {
    return this.finished;
  }

  /** Stop on the user's request: close the socket; what was received stays. */
  stop(message = 'Live capture stopped.'): void {
    if (this.finished) return;
    const s = this.sock;
    this.sock = null;
    try {
      s?.close(NORMAL, 'stopped');
    } catch {
      /* already closing */
    }
    this.finish('stopped', message);
  }

  private finish(state: LiveState, message: string): void {
    if (this.finished) return;
    this.finished = true;
    this.h.state(state, message);
  }
}
