// UDP: header, checksum, stream index and timestamps per conversation, hand-off by port ('udp.port') and heuristics.
import { fields, protocol, type TimeValue } from '../fields/registry';
import { GENERATED, type Item, type Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register, tryHeuristics } from '../dissect/tables';
import { CHECKSUM_STATUS, onesSum } from './ipv4';
import { dissectData } from './data';

export const proto_udp = protocol('udp', 'User Datagram Protocol');

export const hf = fields({
  srcport: { abbrev: 'udp.srcport', name: 'Source Port', type: 'uint', bits: 16 },
  dstport: { abbrev: 'udp.dstport', name: 'Destination Port', type: 'uint', bits: 16 },
  port: { abbrev: 'udp.port', name: 'Source or Destination Port', type: 'uint', bits: 16 },
  stream: { abbrev: 'udp.stream', name: 'Stream index', type: 'uint', bits: 32 },
  length: { abbrev: 'udp.length', name: 'Length', type: 'uint', bits: 16 },
  checksum: { abbrev: 'udp.checksum', name: 'Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksum_calculated: { abbrev: 'udp.checksum_calculated', name: 'Calculated Checksum', type: 'uint', bits: 16, base: 'hex' },
  checksum_status: { abbrev: 'udp.checksum.status', name: 'Checksum Status', type: 'uint', bits: 8, values: CHECKSUM_STATUS, base: 'none' },
  checksum_bad: { abbrev: 'udp.checksum.bad', name: 'Bad checksum', type: 'none' },
  checksum_zero: { abbrev: 'udp.checksum.zero', name: 'Illegal checksum value (0)', type: 'none' },
  length_bad: { abbrev: 'udp.length.bad', name: 'Bad length value', type: 'none' },
  possible_traceroute: { abbrev: 'udp.possible_traceroute', name: 'Possible traceroute', type: 'none' },
  time_relative: { abbrev: 'udp.time_relative', name: 'Time since first frame', type: 'time_rel' },
  time_delta: { abbrev: 'udp.time_delta', name: 'Time since previous frame', type: 'time_rel' },
  payload: { abbrev: 'udp.payload', name: 'Payload', type: 'bytes' },
});

interface Conv {
  index: number;
  /** time of the conversation's first and latest frame */
  first: [number, number];
  last: [number, number];
}

interface UdpState {
  convs: Map<string, Conv>;
  next: number;
}

interface UdpFrame {
  stream: number;
  /** exact durations (seconds and nanoseconds of the same sign) */
  rel: TimeValue;
  delta: TimeValue;
}

/** now − then as an exact duration: a double of epoch seconds cannot hold nanoseconds. */
export function span(now: [number, number], then: [number, number]): TimeValue {
  let s = now[0] - then[0];
  let ns = now[1] - then[1];
  if (s > 0 && ns < 0) {
    s--;
    ns += 1e9;
  } else if (s < 0 && ns > 0) {
    s++;
    ns -= 1e9;
  }
  return { s, ns };
}

function addrKey(a: Uint8Array | number | undefined): string {
  if (a === undefined) return '';
  if (typeof a === 'number') return String(a);
  let s = '';
  for (let i = 0; i < a.length; i++) s += a[i]!.toString(16).padStart(2, '0');
  return s;
}

/** Conversation key independent of direction: the lower endpoint first. */
function convKey(pkt: Packet, sp: number, dp: number): string {
  const a = `${addrKey(pkt.p.srcAddr)}/${sp}`;
  const b = `${addrKey(pkt.p.dstAddr)}/${dp}`;
  return `${pkt.p.ipVersion ?? ''}|${a < b ? a + '|' + b : b + '|' + a}`;
}

/** The stream index and timestamps of this frame: computed in the first pass (in order), read back later. */
function streamInfo(pkt: Packet, sp: number, dp: number): UdpFrame {
  // several UDP layers may share a frame (tunnels, ICMP errors): key each by its position
  const nth = ((pkt.p.udpLayers as number | undefined) ?? 0) + 1;
  pkt.p.udpLayers = nth;
  const fdKey = nth === 1 ? 'udp' : `udp#${nth}`;
  if (!pkt.firstPass) {
    const saved = pkt.session.frameData<UdpFrame>(fdKey, pkt.num);
    if (saved) return saved;
  }
  const st = pkt.session.state<UdpState>('udp', () => ({ convs: new Map(), next: 0 }));
  const now: [number, number] = [pkt.meta.tsSec, pkt.meta.tsNsec];
  const key = convKey(pkt, sp, dp);
  let c = st.convs.get(key);
  if (!c) st.convs.set(key, (c = { index: st.next++, first: now, last: now }));
  const r: UdpFrame = { stream: c.index, rel: span(now, c.first), delta: span(now, c.last) };
  // frames quoted in ICMP errors find (or start) the conversation but do not move its clock
  if (!pkt.p.inError) c.last = now;
  if (pkt.firstPass) pkt.session.setFrameData(fdKey, pkt.num, r);
  return r;
}

function pseudoHeaderSum(pkt: Packet, len: number): number | undefined {
  const s = pkt.p.srcAddr;
  const d = pkt.p.dstAddr;
  if (typeof s === 'number' && typeof d === 'number') {
    return (s >>> 16) + (s & 0xffff) + (d >>> 16) + (d & 0xffff) + 17 + len;
  }
  if (s instanceof Uint8Array && d instanceof Uint8Array) {
    let sum = 0;
    for (let i = 0; i < 16; i += 2) sum += ((s[i]! << 8) | s[i + 1]!) + ((d[i]! << 8) | d[i + 1]!);
    return sum + 17 + Math.floor(len / 0x10000) + (len & 0xffff);
  }
  return undefined;
}

export function dissectUdp(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  // tshark lists the layer, then reads both ports before it shows anything (columns, tree); inside an
  // ICMP error a quoted header too short for the ports leaves no udp layer
  const inErr = !!pkt.p.inError;
  if (!inErr) pkt.layers.push(proto_udp.abbrev);
  const sp = tvb.u16(0);
  const dp = tvb.u16(2);
  if (inErr) pkt.layers.push(proto_udp.abbrev);
  pkt.protocolCol.set('UDP');
  pkt.info.clear();
  const inError = !!pkt.p.inError;
  const top = pkt.add(parent, proto_udp, tvb, 0, Math.min(8, tvb.length), undefined, 'User Datagram Protocol');
  if (pkt.tree) top.text = `User Datagram Protocol, Src Port: ${sp}, Dst Port: ${dp}`;
  pkt.item(top, hf.srcport, tvb, 0, 2);
  const dpi = pkt.item(top, hf.dstport, tvb, 2, 2);
  if (inError && dp > 33434 && dp <= 33434 + 90) {
    // a UDP probe quoted in an ICMP error: traceroute's ports encode hop and attempt
    const n = dp - 33435;
    pkt.expert(dpi, 'chat', 'sequence', `Possible traceroute: hop #${Math.floor(n / 3) + 1}, attempt #${(n % 3) + 1}`, hf.possible_traceroute);
  }
  pkt.hidden(top, hf.port, tvb, 0, 2, sp);
  pkt.hidden(top, hf.port, tvb, 2, 2, dp);
  pkt.p.srcPort = sp;
  pkt.p.dstPort = dp;
  pkt.info.set(`${sp} \u2192 ${dp}`);
  const ulen = tvb.u16(4);
  const ipPayload = tvb.reported;
  if (ulen < 8) {
    const it = pkt.item(top, hf.length, tvb, 4, 2, `Length: ${ulen} (bogus, must be >= 8)`);
    pkt.expert(it, 'error', 'malformed', `Bad length value ${ulen} < 8`, hf.length_bad);
    pkt.info.append(` [BAD UDP LENGTH ${ulen} < 8]`);
    return tvb.reported;
  }
  let bad = false;
  if (ulen > ipPayload && !inError) {
    const it = pkt.item(top, hf.length, tvb, 4, 2, `Length: ${ulen} (bogus, payload length ${ipPayload})`);
    pkt.expert(it, 'error', 'malformed', `Bad length value ${ulen} > IP payload length`, hf.length_bad);
    pkt.info.append(` [BAD UDP LENGTH ${ulen} > IP PAYLOAD LENGTH]`);
    bad = true;
  } else pkt.item(top, hf.length, tvb, 4, 2);
  pkt.info.append(` Len=${ulen - 8}`);
  const dgLen = bad ? ipPayload : inError ? Math.min(ulen, tvb.reported) : ulen;

  const ck = tvb.u16(6);
  const ckText = (s: string) => `Checksum: 0x${ck.toString(16).padStart(4, '0')} ${s}`;
  if (ck === 0 && pkt.p.ipVersion !== 6) {
    const it = pkt.item(top, hf.checksum, tvb, 6, 2, ckText('[zero-value ignored]'));
    pkt.add(it, hf.checksum_status, tvb, 6, 2, 3, 'Checksum Status: Not present').flags |= GENERATED;
  } else if (ck === 0) {
    const it = pkt.item(top, hf.checksum, tvb, 6, 2, ckText('[missing]'));
    pkt.expert(it, 'error', 'checksum', 'Illegal checksum value (0)', hf.checksum_zero);
    pkt.add(top, hf.checksum_status, tvb, 6, 0, 0, 'Checksum Status: Illegal').flags |= GENERATED;
  } else {
    const ph = pkt.session.prefs.udpCheckChecksum && !inError && tvb.length >= dgLen && !bad ? pseudoHeaderSum(pkt, ulen) : undefined;
    if (ph === undefined) {
      pkt.item(top, hf.checksum, tvb, 6, 2, ckText('[unverified]'));
      pkt.gen(top, hf.checksum_status, 2, 'Checksum Status: Unverified');
    } else {
      const sum = onesSum(tvb.slice(0, dgLen), ph);
      if (sum === 0xffff) {
        const it = pkt.item(top, hf.checksum, tvb, 6, 2, ckText('[correct]'));
        pkt.add(it, hf.checksum_calculated, tvb, 6, 2, ck).flags |= GENERATED;
        pkt.gen(top, hf.checksum_status, 1, 'Checksum Status: Good');
      } else {
        const b = tvb.slice(0, dgLen).slice();
        b[6] = 0;
        b[7] = 0;
        let calc = ~onesSum(b, ph) & 0xffff;
        if (calc === 0) calc = 0xffff;
        const sb = `0x${calc.toString(16).padStart(4, '0')}`;
        const it = pkt.item(top, hf.checksum, tvb, 6, 2, `Checksum: 0x${ck.toString(16).padStart(4, '0')} incorrect, should be ${sb} (maybe caused by "UDP checksum offload"?)`);
        pkt.expert(it, 'error', 'checksum', `Bad checksum [should be ${sb}]`, hf.checksum_bad);
        pkt.add(it, hf.checksum_calculated, tvb, 6, 2, calc).flags |= GENERATED;
        pkt.gen(top, hf.checksum_status, 0, 'Checksum Status: Bad');
      }
    }
  }

  const s = streamInfo(pkt, sp, dp);
  pkt.gen(top, hf.stream, s.stream);
  if (!inError) {
    const ts = pkt.text(top, tvb, 0, 0, '[Timestamps]');
    ts.flags |= GENERATED;
    pkt.gen(ts, hf.time_relative, s.rel);
    pkt.gen(ts, hf.time_delta, s.delta);
  }
  const avail = Math.max(0, Math.min(dgLen, tvb.length) - 8);
  if (dgLen - 8 > 0 && (avail > 0 || !inError)) {
    const payload = tvb.sub(8, dgLen - 8);
    // the item covers (and counts) the captured bytes only
    pkt.add(top, hf.payload, tvb, 8, payload.length, payload.bytes, `UDP payload (${payload.length} byte${payload.length === 1 ? '' : 's'})`);
    handOff(payload, pkt, sp, dp);
  }
  return dgLen;
}

/** Port tables (lower port first, as Wireshark), then heuristics, then plain data — all under the root tree. */
function handOff(payload: Tvb, pkt: Packet, sp: number, dp: number): void {
  const low = Math.min(sp, dp);
  const high = Math.max(sp, dp);
  for (const port of [low, high]) {
    if (port === 0) continue;
    const d = lookup('udp.port', port);
    if (!d) continue;
    const r = d(payload, pkt, null);
    if (r !== false && r !== 0) return;
  }
  if (tryHeuristics('udp', payload, pkt, null)) return;
  dissectData(payload, pkt, null);
}

register('ip.proto', 17, dissectUdp);
