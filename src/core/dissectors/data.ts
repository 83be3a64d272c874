// Bytes no dissector claimed: the `data` protocol with its length.
import { fields, protocol } from '../fields/registry';
import type { Item, Packet } from '../dissect/packet';
import type { Tvb } from '../dissect/tvb';

export const proto_data = protocol('data', 'Data');
const hf = fields({
  data: { abbrev: 'data.data', name: 'Data', type: 'bytes' },
  len: { abbrev: 'data.len', name: 'Length', type: 'int', bits: 32 },
});

export function dissectData(tvb: Tvb, pkt: Packet, parent: Item | null): number {
  const n = tvb.reported;
  if (n <= 0) return 0;
  const top = pkt.proto(parent, proto_data, tvb, 0, -1, `Data (${n} byte${n === 1 ? '' : 's'})`);
  const avail = tvb.length;
  pkt.add(top, hf.data, tvb, 0, avail, tvb.bytes.subarray(0, avail), pkt.tree ? `Data: ${hexPreview(tvb.bytes.subarray(0, avail))}` : undefined);
  pkt.gen(top, hf.len, n, `[Length: ${n}]`);
  return n;
}

function hexPreview(b: Uint8Array): string {
  let s = '';
  const n = Math.min(b.length, 36);
  for (let i = 0; i < n; i++) s += b[i]!.toString(16).padStart(2, '0');
  return b.length > n ? s + '…' : s;
}
