// The frame layer: record metadata (number, lengths, times, interface, comments) and hand-off by link type.
import { fields, protocol } from '../fields/registry';
import { GENERATED, type Packet } from '../dissect/packet';
import { duration } from '../fields/format';
import { Tvb } from '../dissect/tvb';
import { lookup } from '../dissect/tables';
import { dissectData } from './data';

/** Wireshark's WTAP_ENCAP numbers for the link types we know (frame.encap_type prints these). */
export const WTAP_ENCAP: Record<number, [number, string]> = {
  0: [15, 'NULL/Loopback'],
  1: [1, 'Ethernet'],
  101: [7, 'Raw IP'],
  108: [15, 'OpenBSD loopback'],
  113: [25, 'Linux cooked-mode capture v1'],
  228: [129, 'Raw IPv4'],
  229: [130, 'Raw IPv6'],
  276: [210, 'Linux cooked-mode capture v2'],
};


export const proto_frame = protocol('frame', 'Frame');
export const hf = fields({
  time: { abbrev: 'frame.time', name: 'Arrival Time', type: 'time_abs' },
  // tshark types the epoch time as a relative time (seconds since 1970), so filters compare it with numbers.
  time_epoch: { abbrev: 'frame.time_epoch', name: 'Epoch Time', type: 'time_rel' },
  time_delta: { abbrev: 'frame.time_delta', name: 'Time delta from previous captured frame', type: 'time_rel' },
  time_delta_displayed: {
    abbrev: 'frame.time_delta_displayed',
    name: 'Time delta from previous displayed frame',
    type: 'time_rel',
  },
  time_relative: { abbrev: 'frame.time_relative', name: 'Time since reference or first frame', type: 'time_rel' },
  number: { abbrev: 'frame.number', name: 'Frame Number', type: 'uint', bits: 32 },
  len: { abbrev: 'frame.len', name: 'Frame Length', type: 'uint', bits: 32, unit: ' bytes' },
  cap_len: { abbrev: 'frame.cap_len', name: 'Capture Length', type: 'uint', bits: 32, unit: ' bytes' },
  marked: { abbrev: 'frame.marked', name: 'Frame is marked', type: 'bool', tf: ['True', 'False'] },
  ignored: { abbrev: 'frame.ignored', name: 'Frame is ignored', type: 'bool', tf: ['True', 'False'] },
  protocols: { abbrev: 'frame.protocols', name: 'Protocols in frame', type: 'string' },
  interface_id: { abbrev: 'frame.interface_id', name: 'Interface id', type: 'uint', bits: 32 },
  interface_name: { abbrev: 'frame.interface_name', name: 'Interface name', type: 'string' },
  interface_description: { abbrev: 'frame.interface_description', name: 'Interface description', type: 'string' },
  encap_type: {
    abbrev: 'frame.encap_type',
    name: 'Encapsulation type',
    type: 'int',
    bits: 16,
    values: Object.fromEntries(Object.values(WTAP_ENCAP)),
  },
  comment: { abbrev: 'frame.comment', name: 'Comment', type: 'string' },
  comments: { abbrev: 'frame.comments', name: 'Packet comments', type: 'none' },
  direction: {
    abbrev: 'frame.packet_flags_direction',
    name: 'Direction',
    type: 'uint',
    bits: 32,
    mask: 0x3,
    base: 'hex',
    values: { 0: 'Unknown', 1: 'Inbound', 2: 'Outbound' },
  },
});



/** Private Enterprise Numbers we can name (IANA); RFC 5612 reserves 32473 for documentation. */
const PEN_NAMES: Record<number, string> = { 32473: 'Example Enterprise Number for Documentation Use' };

/** A pcapng custom block listed as a frame, as tshark 4.0 does: PEN, copy flag, and its bytes as data. */
function dissectCustomBlock(pkt: Packet, tvb: Tvb, bits: (n: number) => string): void {
  const m = pkt.meta;
  const c = m.custom!;
  const pen = `${PEN_NAMES[c.pen] ?? 'Unknown'} (${c.pen})`;
  const top = pkt.proto(
    null,
    proto_frame,
    tvb,
    0,
    -1,
    `PCAPNG Custom Block ${m.num}: ${m.capLen} bytes (${m.capLen * 8} bits) of custom data and options, PEN ${pen}, copying ${c.copy ? 'allowed' : 'not allowed'}`,
  );
  pkt.add(top, hf.number, null, 0, 0, m.num);
  pkt.add(top, hf.len, null, 0, 0, m.origLen, `Frame Length: ${bits(m.origLen)}`);
  pkt.add(top, hf.cap_len, null, 0, 0, m.capLen, `Capture Length: ${bits(m.capLen)}`);
  pkt.gen(top, hf.marked, 0);
  pkt.gen(top, hf.ignored, 0);
  const protos = pkt.gen(top, hf.protocols, '');
  pkt.protocolCol.set('PCAPNG');
  pkt.info.set(`Custom Block: PEN = ${pen}, will ${c.copy ? '' : 'not '}be copied`);
  dissectData(tvb, pkt, null);
  protos.v = pkt.layers.slice(1).join(':');
  if (pkt.tree) protos.text = `[Protocols in frame: ${protos.v}]`;
}

/** Dissect a whole frame: the frame layer, then the link layer by its link type, then everything above. */
export function dissectFrame(pkt: Packet): void {
  const m = pkt.meta;
  const bytes = pkt.sources[0]!.bytes;
  const tvb = new Tvb(bytes, 0, 0, Math.max(m.origLen, bytes.length));
  const session = pkt.session;
  const frames = session.frames;
  // Frames without a timestamp show no times; the reader gives them the time tshark uses for references
  // (0 for simple packet blocks, the previous record's for custom blocks).
  const first = frames.meta(1);
  const prev = m.num > 1 ? frames.meta(m.num - 1) : m;
  const rel = duration(m.tsSec, m.tsNsec, first.tsSec, first.tsNsec);
  const delta = duration(m.tsSec, m.tsNsec, prev.tsSec, prev.tsNsec);
  const ifaceInfo = frames.iface(m.iface);
  const encap = WTAP_ENCAP[m.linkType];

  const bits = (n: number) => `${n} bytes (${n * 8} bits)`;
  if (m.custom) {
    dissectCustomBlock(pkt, tvb, bits);
    return;
  }
  let head = `Frame ${m.num}: ${m.origLen} bytes on wire (${m.origLen * 8} bits), ${m.capLen} bytes captured (${m.capLen * 8} bits)`;
  if (ifaceInfo?.name) head += ` on interface ${ifaceInfo.name}, id ${m.iface}`;
  const top = pkt.proto(null, proto_frame, tvb, 0, -1, head);
  top.len = bytes.length;

  if (m.comments.length) {
    const c = pkt.add(top, hf.comments, null, 0, 0, undefined, 'Packet comments');
    for (const s of m.comments) pkt.add(c, hf.comment, null, 0, 0, s, s);
  }
  if (ifaceInfo) {
    const it = pkt.gen(top, hf.interface_id, m.iface, `Interface id: ${m.iface}${ifaceInfo.name ? ` (${ifaceInfo.name})` : ''}`);
    it.flags &= ~GENERATED;
    if (ifaceInfo.name) pkt.add(it, hf.interface_name, null, 0, 0, ifaceInfo.name);
    if (ifaceInfo.description) pkt.add(it, hf.interface_description, null, 0, 0, ifaceInfo.description);
  }
  const flags = frames.epbFlags(m.num);
  if (flags !== undefined) {
    pkt.add(top, hf.direction, null, 0, 0, flags & 3);
  }
  pkt.add(top, hf.encap_type, null, 0, 0, encap ? encap[0] : -1, `Encapsulation type: ${encap ? `${encap[1]} (${encap[0]})` : `Unknown (${m.linkType})`}`);
  if (m.hasTs) {
    const t = { s: m.tsSec, ns: m.tsNsec };
    pkt.add(top, hf.time, null, 0, 0, t);
    pkt.add(top, hf.time_epoch, null, 0, 0, t, `Epoch Time: ${m.tsSec}.${String(m.tsNsec).padStart(9, '0')} seconds`);
    pkt.gen(top, hf.time_delta, delta);
    pkt.gen(top, hf.time_delta_displayed, m.num === 1 ? { s: 0, ns: 0 } : delta);
    pkt.gen(top, hf.time_relative, rel);
  }
  pkt.add(top, hf.number, null, 0, 0, m.num);
  pkt.add(top, hf.len, null, 0, 0, m.origLen, `Frame Length: ${bits(m.origLen)}`);
  pkt.add(top, hf.cap_len, null, 0, 0, m.capLen, `Capture Length: ${bits(m.capLen)}`);
  pkt.gen(top, hf.marked, 0);
  pkt.gen(top, hf.ignored, 0);
  const protos = pkt.gen(top, hf.protocols, '');

  const link = lookup('wtap_encap', m.linkType);
  pkt.guard(encap?.[1] ?? 'Frame', () => {
    if (!link || !link(tvb, pkt, null)) {
      pkt.protocolCol.set(encap ? encap[1] : `WTAP_ENCAP = ${m.linkType}`);
      dissectData(tvb, pkt, null);
    }
  });
  const list = pkt.layers.slice(1).filter((l) => !l.startsWith('_ws.'));
  const text = list.join(':');
  protos.v = text;
  if (pkt.tree) protos.text = `[Protocols in frame: ${text}]`;
}
