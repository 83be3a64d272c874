// The header index: link/IP/TCP/UDP header values of every frame in typed arrays, parsed without running
// the dissectors, so that filters and counts on addresses, ports, flags and lengths need no dissection.
//
// Only "plain" frames are indexed: a link layer we know, then IPv4 (unfragmented) or IPv6 (no extension
// headers), then TCP / UDP / non-error ICMP with whole headers. Anything else (fragments, ICMP errors that
// quote another IP header, tunnels, truncated or odd headers, other link types) is marked COMPLEX and must
// be dissected to answer for it. A test (test/model/header-index.test.ts) checks, on every fixture, that each
// indexed value equals what full dissection gives.
import { resized as grow } from './typed-arrays';

export const F_ETH = 1;
export const F_IP4 = 2;
export const F_IP6 = 4;
export const F_TCP = 8;
export const F_UDP = 16;
export const F_ARP = 32;
export const F_ICMP = 64;
export const F_ICMP6 = 128;
/** the frame's index values are not known without dissection */
export const F_COMPLEX = 0x8000;

const ETH_IP4 = 0x0800;
const ETH_IP6 = 0x86dd;

export class HeaderIndex {
  count = 0;
  private cap = 0;
  kind = new Uint16Array(0);
  /** IPv4 addresses as unsigned 32-bit numbers */
  ip4Src = new Uint32Array(0);
  ip4Dst = new Uint32Array(0);
  /** IPv6 addresses: indices into `ip6Table` */
  ip6Src = new Uint32Array(0);
  ip6Dst = new Uint32Array(0);
  readonly ip6Table: Uint8Array[] = [];
  private readonly ip6Ids = new Map<string, number>();
  /** ip.proto / ipv6.nxt */
  proto = new Uint8Array(0);
  /** ip.ttl / ipv6.hlim */
  ttl = new Uint8Array(0);
  /** ip.len / ipv6.plen */
  ipLen = new Uint16Array(0);
  ipId = new Uint16Array(0);
  /** IPv4 header length in bytes */
  ipHdr = new Uint8Array(0);
  sport = new Uint16Array(0);
  dport = new Uint16Array(0);
  tcpFlags = new Uint16Array(0);
  tcpWin = new Uint16Array(0);
  tcpSeq = new Uint32Array(0);
  tcpAck = new Uint32Array(0);
  tcpHdr = new Uint8Array(0);
  /** tcp.len, or udp.length */
  l4Len = new Uint32Array(0);

  private ensure(n: number): void {
    if (n <= this.cap) return;
    const c = Math.max(1024, this.cap * 2, n);
    this.kind = grow(this.kind, c);
    this.ip4Src = grow(this.ip4Src, c);
    this.ip4Dst = grow(this.ip4Dst, c);
    this.ip6Src = grow(this.ip6Src, c);
    this.ip6Dst = grow(this.ip6Dst, c);
    this.proto = grow(this.proto, c);
    this.ttl = grow(this.ttl, c);
    this.ipLen = grow(this.ipLen, c);
    this.ipId = grow(this.ipId, c);
    this.ipHdr = grow(this.ipHdr, c);
    this.sport = grow(this.sport, c);
    this.dport = grow(this.dport, c);
    this.tcpFlags = grow(this.tcpFlags, c);
    this.tcpWin = grow(this.tcpWin, c);
    this.tcpSeq = grow(this.tcpSeq, c);
    this.tcpAck = grow(this.tcpAck, c);
    this.tcpHdr = grow(this.tcpHdr, c);
    this.l4Len = grow(this.l4Len, c);
    this.cap = c;
  }

  /** Bytes held per frame (for the memory report). */
  static readonly BYTES_PER_FRAME = 2 + 4 * 4 + 1 + 1 + 2 + 2 + 1 + 2 + 2 + 2 + 2 + 4 + 4 + 1 + 4;

  /** captured length of the frame being indexed (its bytes `b` may be only the first part) */
  private capLen = 0;

  /**
   * Index the next frame (frame number count + 1). `head` holds the start of its captured bytes (enough for
   * the headers), `capLen` and `origLen` its captured and wire lengths. Only values of plain frames are
   * stored; others get F_COMPLEX.
   */
  add(head: Uint8Array, capLen: number, linkType: number, origLen: number): void {
    const i = this.count;
    this.ensure(i + 1);
    this.count = i + 1;
    this.capLen = capLen;
    // a frame cut by the snap length is dissected: truncation changes what the dissectors report
    let k = F_COMPLEX;
    if (capLen >= origLen) k = this.parseLink(i, head, linkType);
    this.kind[i] = k;
  }

  private parseLink(i: number, b: Uint8Array, linkType: number): number {
    const n = this.capLen;
    switch (linkType) {
      case 1: {
        // Ethernet II (802.3 length frames go through LLC: dissected), VLAN tags skipped
        if (n < 14) return F_COMPLEX;
        const t = (b[12]! << 8) | b[13]!;
        return this.ethertype(i, b, 14, t, F_ETH);
      }
      case 0:
      case 108: {
        if (n < 4) return F_COMPLEX;
        let af = linkType === 108 ? ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0 : b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
        if (linkType === 0 && (af & 0xffff0000) !== 0) af = ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
        if (af === 2) return this.ip4(i, b, 4, 0);
        return F_COMPLEX;
      }
      case 101:
      case 228:
        if (n < 1 || b[0]! >> 4 !== 4) return F_COMPLEX;
        return this.ip4(i, b, 0, 0);
      case 113: {
        if (n < 16) return F_COMPLEX;
        const hatype = (b[2]! << 8) | b[3]!;
        if (hatype !== 1 && hatype !== 772) return F_COMPLEX;
        return this.ethertype(i, b, 16, (b[14]! << 8) | b[15]!, 0);
      }
      case 276: {
        if (n < 20) return F_COMPLEX;
        const hatype = (b[8]! << 8) | b[9]!;
        if (hatype !== 1 && hatype !== 772) return F_COMPLEX;
        return this.ethertype(i, b, 20, (b[0]! << 8) | b[1]!, 0);
      }
      default:
        return F_COMPLEX;
    }
  }

  private ethertype(i: number, b: Uint8Array, off: number, t: number, k: number): number {
    switch (t) {
      case ETH_IP4:
        return this.ip4(i, b, off, k);
      case ETH_IP6:
        return this.ip6(i, b, off, k);
      default:
        // ARP, VLAN tags, 802.3 lengths, MPLS, …
        return F_COMPLEX;
    }
  }

  private ip4(i: number, b: Uint8Array, o: number, k: number): number {
    const n = this.capLen;
    if (o + 20 > b.length) return F_COMPLEX;
    const v = b[o]!;
    if (v >> 4 !== 4) return F_COMPLEX;
    const hl = (v & 15) * 4;
    if (hl < 20 || o + hl > b.length) return F_COMPLEX;
    const total = (b[o + 2]! << 8) | b[o + 3]!;
    // a datagram longer than the frame, or shorter than its header: the dissectors report it
    if (total < hl || o + total > n) return F_COMPLEX;
    const fl = (b[o + 6]! << 8) | b[o + 7]!;
    // fragments are reassembled by dissection
    if (fl & 0x3fff) return F_COMPLEX;
    const proto = b[o + 9]!;
    this.ip4Src[i] = ((b[o + 12]! << 24) | (b[o + 13]! << 16) | (b[o + 14]! << 8) | b[o + 15]!) >>> 0;
    this.ip4Dst[i] = ((b[o + 16]! << 24) | (b[o + 17]! << 16) | (b[o + 18]! << 8) | b[o + 19]!) >>> 0;
    this.proto[i] = proto;
    this.ttl[i] = b[o + 8]!;
    this.ipLen[i] = total;
    this.ipId[i] = (b[o + 4]! << 8) | b[o + 5]!;
    this.ipHdr[i] = hl;
    return this.transport(i, b, o + hl, o + total, proto, k | F_IP4, false);
  }

  private ip6(i: number, b: Uint8Array, o: number, k: number): number {
    const n = this.capLen;
    if (o + 40 > b.length || b[o]! >> 4 !== 6) return F_COMPLEX;
    const plen = (b[o + 4]! << 8) | b[o + 5]!;
    if (plen === 0 || o + 40 + plen > n) return F_COMPLEX;
    const nxt = b[o + 6]!;
    this.ip6Src[i] = this.ip6Id(b.subarray(o + 8, o + 24));
    this.ip6Dst[i] = this.ip6Id(b.subarray(o + 24, o + 40));
    this.proto[i] = nxt;
    this.ttl[i] = b[o + 7]!;
    this.ipLen[i] = plen;
    return this.transport(i, b, o + 40, o + 40 + plen, nxt, k | F_IP6, true);
  }

  private ip6Id(a: Uint8Array): number {
    let key = '';
    for (let j = 0; j < 16; j++) key += String.fromCharCode(a[j]!);
    let id = this.ip6Ids.get(key);
    if (id === undefined) {
      id = this.ip6Table.length;
      this.ip6Table.push(a.slice());
      this.ip6Ids.set(key, id);
    }
    return id;
  }

  /** The transport header in [o, end) (end = the end of the IP payload). */
  private transport(i: number, b: Uint8Array, o: number, end: number, proto: number, k: number, v6: boolean): number {
    switch (proto) {
      case 6: {
        if (o + 20 > end || o + 20 > b.length) return F_COMPLEX;
        const doff = (b[o + 12]! >> 4) * 4;
        if (doff < 20 || o + doff > end || o + doff > b.length) return F_COMPLEX;
        this.sport[i] = (b[o]! << 8) | b[o + 1]!;
        this.dport[i] = (b[o + 2]! << 8) | b[o + 3]!;
        this.tcpSeq[i] = ((b[o + 4]! << 24) | (b[o + 5]! << 16) | (b[o + 6]! << 8) | b[o + 7]!) >>> 0;
        this.tcpAck[i] = ((b[o + 8]! << 24) | (b[o + 9]! << 16) | (b[o + 10]! << 8) | b[o + 11]!) >>> 0;
        this.tcpFlags[i] = ((b[o + 12]! << 8) | b[o + 13]!) & 0x0fff;
        this.tcpWin[i] = (b[o + 14]! << 8) | b[o + 15]!;
        this.tcpHdr[i] = doff;
        this.l4Len[i] = end - o - doff;
        return k | F_TCP;
      }
      case 17: {
        if (o + 8 > end || o + 8 > b.length) return F_COMPLEX;
        const len = (b[o + 4]! << 8) | b[o + 5]!;
        if (len < 8 || o + len > end) return F_COMPLEX;
        this.sport[i] = (b[o]! << 8) | b[o + 1]!;
        this.dport[i] = (b[o + 2]! << 8) | b[o + 3]!;
        this.l4Len[i] = len;
        return k | F_UDP;
      }
      case 1:
        // error messages quote another datagram (more addresses and ports): dissected
        if (v6 || o + 8 > end || o + 8 > b.length) return F_COMPLEX;
        switch (b[o]!) {
          case 0:
          case 8:
            return k | F_ICMP;
          default:
            return F_COMPLEX;
        }
      case 58:
        if (!v6 || o + 8 > end || o + 8 > b.length) return F_COMPLEX;
        return b[o]! >= 128 && b[o]! <= 129 ? k | F_ICMP6 : F_COMPLEX;
      default:
        return F_COMPLEX;
    }
  }
}
