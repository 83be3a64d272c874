// Name resolution as Wireshark does by default: MAC vendor prefixes and well-known ports (addresses stay numeric).
import { etherToString, hex2 } from '../fields/format';

/** OUI (24-bit prefix) → short vendor name; filled by an OUI table module when present. */
const oui = new Map<number, string>();

export function setOuiTable(entries: Iterable<[number, string]>): void {
  for (const [k, v] of entries) oui.set(k, v);
}

/** "Broadcast", "Vendor_xx:yy:zz", or the plain address when the prefix is unknown. */
export function resolveEther(mac: Uint8Array): string {
  if (mac.length !== 6) return etherToString(mac);
  if (mac.every((b) => b === 0xff)) return 'Broadcast';
  const prefix = (mac[0]! << 16) | (mac[1]! << 8) | mac[2]!;
  const vendor = oui.get(prefix);
  if (vendor) return `${vendor}_${hex2(mac[3]!)}:${hex2(mac[4]!)}:${hex2(mac[5]!)}`;
  return etherToString(mac);
}
