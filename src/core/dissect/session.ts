// Capture-wide dissection state: per-protocol conversation tables and per-frame data kept from the first pass.
import type { FrameMeta } from './packet';

export interface Prefs {
  /** validate IPv4 header checksums (Wireshark's ip.check_checksum, off by default) */
  ipCheckChecksum: boolean;
  tcpCheckChecksum: boolean;
  udpCheckChecksum: boolean;
  /** reassemble application PDUs across TCP segments (tshark default: on) */
  tcpDesegment: boolean;
  /** relative sequence numbers (default: on) */
  tcpRelativeSeq: boolean;
  /** TCP sequence analysis (default: on) */
  tcpAnalyze: boolean;
  /** reassemble IP fragments (default: on) */
  ipDefragment: boolean;
}

export const DEFAULT_PREFS: Prefs = {
  ipCheckChecksum: false,
  tcpCheckChecksum: false,
  udpCheckChecksum: false,
  tcpDesegment: true,
  tcpRelativeSeq: true,
  tcpAnalyze: true,
  ipDefragment: true,
};

/** Random access to frames already read: their metadata and captured bytes. */
export interface FrameAccess {
  count(): number;
  meta(num: number): FrameMeta;
  bytes(num: number): Uint8Array;
  /** interface name/description by global interface index */
  iface(index: number): { name: string; description: string } | undefined;
  /** pcapng epb_flags of a frame, if it had them */
  epbFlags(num: number): number | undefined;
}

export class Session {
  private readonly states = new Map<string, unknown>();
  private readonly perFrame = new Map<string, Map<number, unknown>>();

  constructor(
    readonly frames: FrameAccess,
    readonly prefs: Prefs = DEFAULT_PREFS,
  ) {}

  /** Capture-wide state of one protocol module, created on first use. */
  state<T>(key: string, init: () => T): T {
    let s = this.states.get(key) as T | undefined;
    if (s === undefined) {
      s = init();
      this.states.set(key, s);
    }
    return s;
  }

  /** Per-frame data a protocol saved during the first pass (Wireshark's p_add_proto_data). */
  frameData<T>(key: string, num: number): T | undefined {
    return this.perFrame.get(key)?.get(num) as T | undefined;
  }

  setFrameData<T>(key: string, num: number, data: T): void {
    let m = this.perFrame.get(key);
    if (!m) this.perFrame.set(key, (m = new Map()));
    m.set(num, data);
  }
}
