// IEEE 802.2 LLC (DSAP/SSAP/control) and SNAP, handing off by SAP ('llc.dsap') or by SNAP ethertype.
import { fields, protocol } from '../fields/registry';
import { bitmaskPrefix } from '../fields/format';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';
import { lookup, register } from '../dissect/tables';
import { ETHERTYPES } from './eth';
import { dissectData } from './data';

export const proto_llc = protocol('llc', 'Logical-Link Control');

const SAP: Record<number, string> = {
  0x00: 'NULL LSAP', 0x02: 'LLC Sub-Layer Management', 0x04: 'SNA Path Control', 0x06: 'TCP/IP', 0x08: 'SNA',
  0x0c: 'SNA', 0x0e: 'PROWAY (IEC955) Network Management and Initialization', 0x10: 'NetWare (unofficial?)',
  0x14: 'ISO Network Layer (OSLAN 1)', 0x18: 'Texas Instruments', 0x20: 'ISO Network Layer (unofficial?)',
  0x34: 'ISO Network Layer (unofficial?)', 0x42: 'Spanning Tree BPDU', 0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x54: 'ISO Network Layer (OSLAN 2)', 0x7e: 'ISO 8208 (X.25 over 802.2)', 0x80: 'XNS', 0x82: 'BACnet', 0x86: 'Nestar',
  0x8e: 'PROWAY (IEC955) Active Station List Maintenance', 0x98: 'ARP', 0xaa: 'SNAP', 0xb4: 'HP JetDirect Printer',
  0xba: 'Banyan Vines', 0xbc: 'Banyan Vines', 0xe0: 'NetWare', 0xf0: 'NetBIOS', 0xf4: 'IBM Net Management',
  0xf8: 'HP Extended LLC', 0xfa: 'Ungermann-Bass', 0xfc: 'Remote Program Load', 0xfe: 'ISO Network Layer',
  0xff: 'Global LSAP',
};

/** Unnumbered-frame modifiers: [abbreviation, command name]. */
const U_FUNC: Record<number, [string, string]> = {
  0x00: ['UI', 'Unnumbered Information'],
  0x04: ['SIM', 'Set Initialization Mode'],
  0x0c: ['DM', 'Disconnected Mode'],
  0x20: ['UP', 'Unnumbered Poll'],
  0x40: ['DISC', 'Disconnect'],
  0x60: ['UA', 'Unnumbered Acknowledge'],
  0x6c: ['SABME', 'Set Asynchronous Balanced Mode Extended'],
  0x84: ['FRMR', 'Frame reject'],
  0xac: ['XID', 'Exchange identification'],
  0xe0: ['TEST', 'Test'],
};
const S_FUNC: Record<number, [string, string]> = {
  0: ['RR', 'Receiver ready'],
  1: ['RNR', 'Receiver not ready'],
  2: ['REJ', 'Reject'],
  3: ['SREJ', 'Selective reject'],
};

export const hf = fields({
  dsap: { abbrev: 'llc.dsap', name: 'DSAP', type: 'uint', bits: 8, base: 'hex', values: SAP },
  dsap_sap: { abbrev: 'llc.dsap.sap', name: 'SAP', type: 'uint', bits: 8, mask: 0xfe },
  dsap_ig: { abbrev: 'llc.dsap.ig', name: 'IG Bit', type: 'bool', bits: 8, mask: 0x01, tf: ['Group', 'Individual'] },
  ssap: { abbrev: 'llc.ssap', name: 'SSAP', type: 'uint', bits: 8, base: 'hex', values: SAP },
  ssap_sap: { abbrev: 'llc.ssap.sap', name: 'SAP', type: 'uint', bits: 8, mask: 0xfe },
  ssap_cr: { abbrev: 'llc.ssap.cr', name: 'CR Bit', type: 'bool', bits: 8, mask: 0x01, tf: ['Response', 'Command'] },
  control: { abbrev: 'llc.control', name: 'Control field', type: 'uint', bits: 16, base: 'hex' },
  n_r: { abbrev: 'llc.control.n_r', name: 'N(R)', type: 'uint', bits: 16, mask: 0xfe00 },
  n_s: { abbrev: 'llc.control.n_s', name: 'N(S)', type: 'uint', bits: 16, mask: 0x00fe },
  p: { abbrev: 'llc.control.p', name: 'Poll', type: 'bool', bits: 16, mask: 0x0100 },
  f: { abbrev: 'llc.control.f', name: 'Final', type: 'bool', bits: 16, mask: 0x0100 },
  s_ftype: { abbrev: 'llc.control.s_ftype', name: 'Supervisory frame type', type: 'uint', bits: 16, base: 'hex', mask: 0x000c },
  u_cmd: { abbrev: 'llc.control.u_modifier_cmd', name: 'Command', type: 'uint', bits: 8, base: 'hex', mask: 0xec },
  u_resp: { abbrev: 'llc.control.u_modifier_resp', name: 'Response', type: 'uint', bits: 8, base: 'hex', mask: 0xec },
  // Wireshark has an 8-bit (U frames) and a 16-bit variant under this abbrev; -T fields prints the 8-bit one for UI
  ftype: {
    abbrev: 'llc.control.ftype',
    name: 'Frame type',
    type: 'uint',
    bits: 8,
    base: 'hex',
    mask: 0x03,
    values: { 0: 'Information frame', 1: 'Supervisory frame', 3: 'Unnumbered frame' },
  },
  oui: { abbrev: 'llc.oui', name: 'Organization Code', type: 'uint', bits: 24, base: 'hex' },
  pid: { abbrev: 'llc.pid', name: 'PID', type: 'uint', bits: 16, base: 'hex' },
  type: { abbrev: 'llc.type', name: 'Type', type: 'uint', bits: 16, base: 'hex', values: ETHERTYPES },
});

function sapName(v: number): string {
  return SAP[v & 0xfe] ?? `0x${(v & 0xfe).toString(16).padStart(2, '0')}`;
}

function dissectLlc(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  pkt.protocolCol.set('LLC');
  pkt.info.clear();
  pkt.layers.push(proto_llc.abbrev);
  const dsap = tvb.u8(0);
  const ssap = tvb.u8(1);
  const c0 = tvb.u8(2);
  const uFrame = (c0 & 3) === 3;
  const clen = uFrame ? 1 : 2;
  const top = pkt.add(parent, proto_llc, tvb, 0, Math.min(2 + clen, tvb.length), undefined, 'Logical-Link Control');
  const d = pkt.item(top, hf.dsap, tvb, 0, 1, pkt.tree && !SAP[dsap] ? `DSAP: Unknown (0x${dsap.toString(16).padStart(2, '0')})` : undefined);
  pkt.item(d, hf.dsap_sap, tvb, 0, 1, pkt.tree ? `${bitmaskPrefix(hf.dsap_sap, dsap >> 1)}SAP: ${sapName(dsap)}` : undefined);
  pkt.item(d, hf.dsap_ig, tvb, 0, 1);
  const s = pkt.item(top, hf.ssap, tvb, 1, 1, pkt.tree && !SAP[ssap] ? `SSAP: Unknown (0x${ssap.toString(16).padStart(2, '0')})` : undefined);
  pkt.item(s, hf.ssap_sap, tvb, 1, 1, pkt.tree ? `${bitmaskPrefix(hf.ssap_sap, ssap >> 1)}SAP: ${sapName(ssap)}` : undefined);
  pkt.item(s, hf.ssap_cr, tvb, 1, 1);
  const response = (ssap & 1) === 1;
  let summary: string;
  if (uFrame) {
    const mod = c0 & 0xec;
    const pf = c0 & 0x10 ? (response ? ' F' : ' P') : '';
    const fn = U_FUNC[mod];
    summary = `U${pf}, func=${fn ? fn[0] : `Unknown (0x${mod.toString(16).padStart(2, '0')})`}`;
    const ci = pkt.add(top, hf.control, tvb, 2, 1, c0, pkt.tree ? `Control field: ${summary} (0x${c0.toString(16).padStart(2, '0')})` : undefined);
    const mf = response ? hf.u_resp : hf.u_cmd;
    pkt.add(ci, mf, tvb, 2, 1, mod >> 2, pkt.tree ? `${bitmaskPrefix(mf, mod >> 2)}${mf.name}: ${fn ? fn[1] : 'Unknown'} (0x${(mod >> 2).toString(16).padStart(2, '0')})` : undefined);
    pkt.add(ci, hf.ftype, tvb, 2, 1, 3, pkt.tree ? '.... ..11 = Frame type: Unnumbered frame (0x3)' : undefined);
  } else {
    // the two-byte control field is read little-endian (N(S) in the first byte, N(R) in the second)
    const c = tvb.u16le(2);
    const pf = c & 0x0100 ? (response ? ' F' : ' P') : '';
    const nr = c >> 9;
    let ci: Item;
    if ((c & 1) === 0) {
      const ns = (c >> 1) & 0x7f;
      summary = `I${pf}, N(R)=${nr}, N(S)=${ns}`;
      ci = pkt.add(top, hf.control, tvb, 2, 2, c, pkt.tree ? `Control field: ${summary} (0x${c.toString(16).padStart(4, '0')})` : undefined);
      pkt.item(ci, hf.n_r, tvb, 2, 2);
      pkt.item(ci, hf.n_s, tvb, 2, 2);
    } else {
      const sf = (c >> 2) & 3;
      summary = `S${pf}, func=${S_FUNC[sf]![0]}, N(R)=${nr}`;
      ci = pkt.add(top, hf.control, tvb, 2, 2, c, pkt.tree ? `Control field: ${summary} (0x${c.toString(16).padStart(4, '0')})` : undefined);
      pkt.item(ci, hf.n_r, tvb, 2, 2);
    }
    pkt.item(ci, response ? hf.f : hf.p, tvb, 2, 2);
    if (c & 1) {
      const sf = (c >> 2) & 3;
      pkt.add(ci, hf.s_ftype, tvb, 2, 2, sf, pkt.tree ? `${bitmaskPrefix(hf.s_ftype, sf)}Supervisory frame type: ${S_FUNC[sf]![1]} (0x${sf})` : undefined);
      pkt.add(ci, hf.ftype, tvb, 2, 2, 1, pkt.tree ? '.... .... .... ..01 = Frame type: Supervisory frame (0x1)' : undefined);
    } else pkt.add(ci, hf.ftype, tvb, 2, 2, 0, pkt.tree ? '.... .... .... ...0 = Frame type: Information frame (0x0)' : undefined);
  }
  let off = 2 + clen;
  if (dsap === 0xaa && ssap === 0xaa && uFrame) {
    const oui = tvb.u24(off);
    const pid = tvb.u16(off + 3);
    top.len = off + 5;
    pkt.item(top, hf.oui, tvb, off, 3, pkt.tree ? `Organization Code: ${ouiText(oui)}` : undefined);
    const f = oui === 0 ? hf.type : hf.pid;
    pkt.item(top, f, tvb, off + 3, 2);
    off += 5;
    pkt.info.set(`${summary}; SNAP, OUI 0x${oui.toString(16).padStart(6, '0')} (${oui === 0 ? 'Officially Xerox, but 0:0:0:0:0:0 is more common' : 'Unknown'}), PID 0x${pid.toString(16).padStart(4, '0')}`);
    const payload = tvb.sub(off);
    if (oui === 0) {
      const dd = lookup('ethertype', pid);
      if (dd && dd(payload, pkt, parent)) return tvb.reported;
    }
    dissectData(payload, pkt, parent);
    return tvb.reported;
  }
  pkt.info.set(`${summary}; DSAP ${sapName(dsap)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sapName(ssap)} ${response ? 'Response' : 'Command'}`);
  const payload = tvb.sub(off);
  if (payload.reported > 0) {
    const dd = lookup('llc.dsap', dsap);
    if (!dd || !dd(payload, pkt, parent)) dissectData(payload, pkt, parent);
  }
  return tvb.reported;
}

function ouiText(oui: number): string {
  const hx = [oui >> 16, (oui >> 8) & 0xff, oui & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':');
  return oui === 0 ? `${hx} (Officially Xerox, but` : hx;
}

register('llc.dsap', -1, dissectLlc);
