// Dissector hand-off tables (ethertype, ip.proto, tcp.port, …) and heuristic lists, as Wireshark's.
import type { Item, Packet } from './packet';
import type { Tvb } from './tvb';

/** A dissector returns the number of bytes it consumed, or 0 / false to decline (heuristics, port tables). */
export type Dissector = (tvb: Tvb, pkt: Packet, parent: Item | null) => number | boolean | void;

export type TableName =
  | 'wtap_encap' // link types
  | 'ethertype'
  | 'ip.proto'
  | 'tcp.port'
  | 'udp.port'
  | 'sll.ltype'
  | 'null.type'
  | 'llc.dsap';
export type HeuristicName = 'tcp' | 'udp';

const tables = new Map<TableName, Map<number, Dissector>>();
const heuristics = new Map<HeuristicName, Dissector[]>();

export function register(table: TableName, key: number, d: Dissector): void {
  let t = tables.get(table);
  if (!t) tables.set(table, (t = new Map()));
  t.set(key, d);
}

export function lookup(table: TableName, key: number): Dissector | undefined {
  return tables.get(table)?.get(key);
}

export function registerHeuristic(list: HeuristicName, d: Dissector): void {
  let l = heuristics.get(list);
  if (!l) heuristics.set(list, (l = []));
  l.push(d);
}

export function heuristicList(list: HeuristicName): readonly Dissector[] {
  return heuristics.get(list) ?? [];
}

/** Try a table entry; returns true if a dissector took the bytes. */
export function tryTable(table: TableName, key: number, tvb: Tvb, pkt: Packet, parent: Item | null): boolean {
  const d = lookup(table, key);
  if (!d) return false;
  const r = d(tvb, pkt, parent);
  return r !== false && r !== 0;
}

export function tryHeuristics(list: HeuristicName, tvb: Tvb, pkt: Packet, parent: Item | null): boolean {
  for (const d of heuristicList(list)) {
    const r = d(tvb, pkt, parent);
    if (r !== false && r !== 0 && r !== undefined) return true;
  }
  return false;
}
