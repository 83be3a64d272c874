// Endpoint tables (Ethernet, IPv4, IPv6, TCP, UDP) as tshark's `-q -z endpoints,TYPE` counts them: every
// packet of a conversation (see ../analysis/conversations.ts, whose rules decide which layers count) adds
// to its sender's Tx and its receiver's Rx counts — twice to one endpoint that talks to itself.
//
//   const c = new EndpointCollector();
//   for (each frame) c.add(cap.dissect(num, false, conversationKeepSet()));
//   c.tables()   // { eth: EndpointRow[], … } in order of first appearance

import type { Packet } from '../dissect/packet';
import type { Capture } from '../capture';
import { CONV_KINDS, conversationKeepSet, conversationPairs, type ConvKind } from '../analysis/conversations';

export type EndpointKind = ConvKind;
export const ENDPOINT_KINDS = CONV_KINDS;

export interface EndpointRow {
  kind: EndpointKind;
  addr: string;
  /** TCP/UDP only */
  port?: number;
  packets: number;
  bytes: number;
  txPackets: number;
  txBytes: number;
  rxPackets: number;
  rxBytes: number;
  firstFrame: number;
}

export type EndpointTables = Record<EndpointKind, EndpointRow[]>;

export { conversationKeepSet as endpointKeepSet };

export class EndpointCollector {
  private readonly maps: Record<EndpointKind, Map<string, EndpointRow>> = {
    eth: new Map(),
    ipv4: new Map(),
    ipv6: new Map(),
    tcp: new Map(),
    udp: new Map(),
  };
  count = 0;

  private row(kind: EndpointKind, addr: string, port: number | undefined, num: number): EndpointRow {
    const map = this.maps[kind];
    const key = port === undefined ? addr : `${addr}/${port}`;
    let r = map.get(key);
    if (!r) {
      r = { kind, addr, packets: 0, bytes: 0, txPackets: 0, txBytes: 0, rxPackets: 0, rxBytes: 0, firstFrame: num };
      if (port !== undefined) r.port = port;
      map.set(key, r);
    }
    return r;
  }

  /** Count one frame (dissected with conversationKeepSet()). */
  add(pkt: Pick<Packet, 'items' | 'meta'>): void {
    this.count++;
    const len = pkt.meta.origLen;
    const num = pkt.meta.num;
    for (const p of conversationPairs(pkt)) {
      const ported = p.kind === 'tcp' || p.kind === 'udp';
      const tx = this.row(p.kind, p.src, ported ? p.sp : undefined, num);
      tx.packets++;
      tx.bytes += len;
      tx.txPackets++;
      tx.txBytes += len;
      const rx = this.row(p.kind, p.dst, ported ? p.dp : undefined, num);
      rx.packets++;
      rx.bytes += len;
      rx.rxPackets++;
      rx.rxBytes += len;
    }
  }

  /** The tables so far (copies), rows in order of first appearance. */
  tables(): EndpointTables {
    const out = {} as EndpointTables;
    for (const k of ENDPOINT_KINDS) out[k] = [...this.maps[k].values()].map((r) => ({ ...r }));
    return out;
  }
}

/** Endpoint tables of all frames read so far. */
export function computeEndpoints(cap: Capture): EndpointTables {
  const c = new EndpointCollector();
  const keep = conversationKeepSet();
  for (let n = 1; n <= cap.frames.count; n++) c.add(cap.dissect(n, false, keep));
  return c.tables();
}

/** The display filter selecting an endpoint (Wireshark's "Apply as Filter" on an endpoint row). */
export function endpointFilter(r: Pick<EndpointRow, 'kind' | 'addr' | 'port'>): string {
  switch (r.kind) {
    case 'eth':
      return `eth.addr==${r.addr}`;
    case 'ipv4':
      return `ip.addr==${r.addr}`;
    case 'ipv6':
      return `ipv6.addr==${r.addr}`;
    case 'tcp':
    case 'udp': {
      const ip = r.addr.includes(':') ? 'ipv6' : 'ip';
      return `${ip}.addr==${r.addr} && ${r.kind}.port==${r.port}`;
    }
  }
}
