// Answers a display filter for frames that hold none of the protocols it reads, without dissecting them:
// the first pass records each frame's protocol stack (frame.protocols), and a frame without any of the
// filter's protocols has none of its fields, so it gets the answer the filter gives an empty packet.
import type { CompiledFilter } from '../filter';
import type { Packet } from '../dissect/packet';
import { holding } from './typed-arrays';

/**
 * Protocols whose fields can appear in a frame whose stack does not list them (frame fields are in every
 * frame; _ws.* are markers; pweth.* sit in the pwethcw layer), and single fields that do so as in Wireshark
 * (ip.version in IPv6 headers, eth.padding after SLL, ieee8021ah.etype in 802.1ad). A filter that reads
 * one is never gated. test/model/protocol-gate.test.ts checks on every capture that no other field appears
 * outside its layer.
 */
export const UNLAYERED: ReadonlySet<string> = new Set(['frame', '_ws', 'pweth']);
export const UNLAYERED_FIELDS: ReadonlySet<string> = new Set(['ip.version', 'eth.padding', 'ieee8021ah.etype']);

/** Whether an item of field `f` can be in a frame whose stack lacks f's protocol. */
export const unlayered = (f: { proto: string; abbrev: string }): boolean => UNLAYERED.has(f.proto) || UNLAYERED_FIELDS.has(f.abbrev);

/** What the first pass learned about the frames' protocol stacks. */
export interface StackTable {
  /** stack id by row (frame number - 1), valid for frames the first pass has been through */
  readonly stacks: Uint32Array;
  /** the layers of each stack id, as in frame.protocols without 'frame' */
  readonly stackLayers: readonly (readonly string[])[];
}

const EMPTY = { items: [], sources: [], layers: [] } as unknown as Packet;

export class ProtocolGate {
  /** by stack id: 0 not looked at yet, 1 holds one of the filter's protocols, 2 holds none */
  private seen = new Uint8Array(64);

  private constructor(
    private readonly protos: ReadonlySet<string>,
    /** the filter's answer for a frame with none of its fields */
    readonly absent: boolean,
  ) {}

  /** A gate for `filter`, or null when it reads no field or one that can appear outside its layer. */
  static for(filter: CompiledFilter): ProtocolGate | null {
    if (filter.usesLayers || filter.text.includes('${') || !filter.fields.length) return null;
    const protos = new Set<string>();
    for (const f of filter.fields) {
      if (unlayered(f)) return null;
      protos.add(f.proto);
    }
    return new ProtocolGate(protos, filter.match(EMPTY));
  }

  /** Whether row i (frame i + 1, through the first pass) must be dissected; if not, `absent` is its answer. */
  needs(t: StackTable, i: number): boolean {
    const id = t.stacks[i]!;
    this.seen = holding(this.seen, id);
    let s = this.seen[id]!;
    if (!s) {
      s = t.stackLayers[id]!.some((l) => this.protos.has(l)) ? 1 : 2;
      this.seen[id] = s;
    }
    return s === 1;
  }
}
