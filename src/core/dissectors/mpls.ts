// MPLS label stacks (ethertypes 0x8847/0x8848) and what follows the bottom label: IPv4, IPv6, or an Ethernet pseudowire.
import { fields, protocol } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { dissectData } from './data';

export const proto_mpls = protocol('mpls', 'MultiProtocol Label Switching Header');
const proto_pwethcw = protocol('pwethcw', 'PW Ethernet Control Word');
const proto_pwethheuristic = protocol('pwethheuristic', 'PW Ethernet Heuristic');

export const hf = fields({
  label: { abbrev: 'mpls.label', name: 'MPLS Label', type: 'uint', bits: 32, mask: 0xfffff000, base: 'dec_hex' },
  exp: { abbrev: 'mpls.exp', name: 'MPLS Experimental Bits', type: 'uint', bits: 32, mask: 0x00000e00 },
  bottom: { abbrev: 'mpls.bottom', name: 'MPLS Bottom Of Label Stack', type: 'uint', bits: 32, mask: 0x00000100 },
  ttl: { abbrev: 'mpls.ttl', name: 'MPLS TTL', type: 'uint', bits: 32, mask: 0x000000ff },
  pweth_cw: { abbrev: 'pweth.cw', name: 'PW Control Word (ethernet)', type: 'bool', tf: ['True', 'False'] },
  pweth_seq: { abbrev: 'pweth.cw.sequence_number', name: 'Sequence Number', type: 'uint', bits: 16 },
});

function dissectMpls(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('MPLS');
  pkt.info.set('MPLS Label Switched Packet');
  let off = 0;
  for (;;) {
    const w = tvb.u32(off);
    const label = w >>> 12;
    const exp = (w >> 9) & 7;
    const s = (w >> 8) & 1;
    const ttl = w & 0xff;
    // one 'mpls' layer for the whole stack, one subtree per label
    const text = `MultiProtocol Label Switching Header, Label: ${label}, Exp: ${exp}, S: ${s}, TTL: ${ttl}`;
    const it = off === 0 ? pkt.proto(parent, proto_mpls, tvb, off, 4, text) : pkt.add(parent, proto_mpls, tvb, off, 4, undefined, text);
    pkt.item(it, hf.label, tvb, off, 4);
    pkt.item(it, hf.exp, tvb, off, 4);
    pkt.item(it, hf.bottom, tvb, off, 4);
    pkt.item(it, hf.ttl, tvb, off, 4);
    off += 4;
    if (s) break;
  }
  const payload = tvb.sub(off);
  const nibble = payload.length ? payload.u8(0) >> 4 : -1;
  if (nibble === 4 || nibble === 6) {
    const d = lookup('ethertype', nibble === 4 ? 0x0800 : 0x86dd);
    if (d && d(payload, pkt, parent)) return tvb.reported;
  } else if (nibble === 0 && payload.length >= 18) {
    // an Ethernet pseudowire with its control word (RFC 4448), as Wireshark's heuristic finds it
    pkt.layers.push(proto_pwethheuristic.abbrev);
    pkt.hidden(null, hf.pweth_cw, payload, 0, 0, 1);
    const cw = pkt.proto(parent, proto_pwethcw, payload, 0, 4, 'PW Ethernet Control Word');
    pkt.item(cw, hf.pweth_seq, payload, 2, 2);
    const eth = lookup('wtap_encap', 1);
    if (eth && eth(payload.sub(4), pkt, parent)) return tvb.reported;
  }
  dissectData(payload, pkt, parent);
  return tvb.reported;
}

register('ethertype', 0x8847, dissectMpls);
register('ethertype', 0x8848, dissectMpls);
