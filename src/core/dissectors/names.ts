// Name resolution as Wireshark does by default: MAC vendor prefixes and well-known MAC addresses (IP addresses stay numeric).
import { etherToString, hex2 } from '../fields/format';
import { OUI_DATA } from './oui-data';

/** OUI (24-bit prefix) → short vendor name. */
const oui = new Map<number, string>();
/** MA-M (28-bit) and MA-S (36-bit) blocks of the IEEE registry. */
const oui28 = new Map<number, string>();
const oui36 = new Map<number, string>();

/** Parse one section of OUI_DATA: "<delta base36> <name>" entries separated by '|'. */
function parseSection(text: string | undefined, into: (k: number, v: string) => void): void {
  if (!text) return;
  let prev = 0;
  for (const e of text.split('|')) {
    const sp = e.indexOf(' ');
    prev += parseInt(e.slice(0, sp), 36);
    into(prev, e.slice(sp + 1));
  }
}

let decoded = false;

/**
 * Decode the registry on the first lookup, not when the module loads: it costs ~100 ms (with the garbage it
 * leaves), which every worker start and CLI run would pay before its first frame, also when no address is
 * ever named (the packet list shows addresses numerically).
 */
function decodeOui(): void {
  decoded = true;
  const sections = OUI_DATA.split('#');
  parseSection(sections[0], (k, v) => oui.set(k, v));
  parseSection(sections[1], (k, v) => oui28.set(k, v));
  parseSection(sections[2], (k, v) => oui36.set(k, v));
  // 00:00:00 is Xerox's, but an all-zero address is far more common: Wireshark names the prefix by itself.
  oui.set(0, '00:00:00');
  // DECnet Phase IV addresses (AA:00:04 + node address) are a vendor prefix of their own in Wireshark's view.
  oui.set(0xaa0004, 'DecLocal');
}

/**
 * Well-known addresses not in the IEEE registry (multicast groups, protocol addresses), keyed by
 * the 48-bit address. `exact` ones match the whole address; the others match any address whose
 * leading bits equal the key's, and the bytes past the matched prefix are appended.
 */
const WKA_EXACT = new Map<number, string>([
  [0xffffffffffff, 'Broadcast'],
  [0x0180c2000001, 'MAC-specific-ctrl-proto-01'],
  [0x0180c2000002, 'Slow-Protocols'],
  [0x0180c2000003, 'Nearest-non-TPMR-bridge'],
  [0x0180c200000e, 'LLDP_Multicast'],
  [0x0180c2000014, "ISIS-all-level-1-IS's"],
  [0x0180c2000015, "ISIS-all-level-2-IS's"],
  [0x01000ccccccc, 'CDP/VTP/DTP/PAgP/UDLD'],
  [0x030000000001, 'NETBIOS-'],
]);
const WKA_PREFIX = new Map<number, string>([
  [0x01005e000000, 'IPv4mcast'],
  [0x333300000000, 'IPv6mcast'],
  [0x0180c2000000, 'Spanning-tree-(for-bridges)'],
  [0x00000c07ac00, 'All-HSRP-routers'],
  [0x00005e000100, 'IETF-VRRP-VRID'],
]);

function tail(mac: Uint8Array, from: number): string {
  let s = '';
  for (let i = from; i < 6; i++) s += (s ? ':' : '') + hex2(mac[i]!);
  return s;
}

/** The address bits past an MA-M/MA-S block, leading zero bytes left out as Wireshark prints them ("Zoleo_01"). */
function blockTail(b: number[]): string {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.slice(i).map(hex2).join(':');
}

const cache = new Map<number, string>();

function lookup(mac: Uint8Array): string {
  if (!decoded) decodeOui();
  const hi = (mac[0]! << 16) | (mac[1]! << 8) | mac[2]!;
  const lo = (mac[3]! << 16) | (mac[4]! << 8) | mac[5]!;
  const addr = hi * 0x1000000 + lo;
  const exact = WKA_EXACT.get(addr);
  if (exact) return exact;
  // Longest prefix first, as Wireshark: the name of the first match, then the bytes past the matched byte boundary.
  for (let bits = 47; bits >= 8; bits--) {
    if (bits === 36) {
      const v = oui36.get(Math.floor(addr / 0x1000));
      if (v) return `${v}_${blockTail([mac[4]! & 0x0f, mac[5]!])}`;
    }
    if (bits === 28) {
      const v = oui28.get(Math.floor(addr / 0x100000));
      if (v) return `${v}_${blockTail([mac[3]! & 0x0f, mac[4]!, mac[5]!])}`;
    }
    if (bits === 24) {
      const v = oui.get(hi);
      if (v) return `${v}_${tail(mac, 3)}`;
    }
    const keep = 2 ** (48 - bits);
    const masked = Math.floor(addr / keep) * keep;
    const w = WKA_PREFIX.get(masked);
    if (w) return `${w}_${tail(mac, Math.floor(bits / 8))}`;
  }
  return etherToString(mac);
}

/** "Broadcast", "Vendor_xx:yy:zz", "IPv4mcast_01", or the plain address when nothing is known. */
export function resolveEther(mac: Uint8Array): string {
  if (mac.length !== 6) return etherToString(mac);
  const key = ((mac[0]! << 16) | (mac[1]! << 8) | mac[2]!) * 0x1000000 + ((mac[3]! << 16) | (mac[4]! << 8) | mac[5]!);
  let s = cache.get(key);
  if (s === undefined) {
    s = lookup(mac);
    if (cache.size > 65536) cache.clear();
    cache.set(key, s);
  }
  return s;
}
