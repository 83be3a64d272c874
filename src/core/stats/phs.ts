// Protocol hierarchy statistics, counted as tshark's `-q -z io,phs` counts them: each frame's top-level tree
// items (after the frame layer) form a path — eth › ip › tcp › http … — and every node on the path counts the
// frame once, with the frame's length on the wire (see phsPath for where this differs from the tree shown).
//
//   const c = new PhsCollector();
//   for (each frame) c.add(cap.dissect(num, false));
//   c.tree()   // PhsNode[] (roots), children in order of first appearance

import type { Packet } from '../dissect/packet';
import type { Capture } from '../capture';

export interface PhsNode {
  /** the protocol (or top-level item) abbrev, e.g. 'tcp', 'data-text-lines', 'tcp.segments' */
  abbrev: string;
  /** the protocol's display name */
  name: string;
  frames: number;
  bytes: number;
  children: PhsNode[];
}

/**
 * The top-level item path of one frame dissected with its tree (keep = 'all'): abbrevs and names.
 *
 * Two things differ from the tree as displayed. Wireshark moves the "Reassembled TCP Segments" item up
 * behind the TCP layer only in a visible tree; in the tree tshark's statistics see, it stays where it was
 * made, after the layers dissected from the reassembled data (items whose bytes are not the frame's) and
 * before those dissected from the rest of the segment. And frames with comments start with the
 * "Packet comments" item.
 */
export function phsPath(pkt: Pick<Packet, 'items' | 'meta'>): { abbrev: string; name: string }[] {
  const path: { abbrev: string; name: string }[] = [];
  let pending: { abbrev: string; name: string } | null = null;
  let comment = false;
  for (const it of pkt.items) {
    const a = it.f.abbrev;
    if (a === 'frame' || a === '_ws.text') continue;
    if (a === 'pkt_comment') comment = true;
    if (a === 'tcp.segments') {
      if (pending) path.push(pending);
      pending = { abbrev: a, name: it.f.name };
      continue;
    }
    if (pending && it.src === 0) {
      path.push(pending);
      pending = null;
    }
    path.push({ abbrev: a, name: it.f.name });
  }
  if (pending) path.push(pending);
  if (!comment && pkt.meta.comments.length) path.unshift({ abbrev: 'pkt_comment', name: 'Packet comments' });
  return path;
}

export class PhsCollector {
  private readonly roots: PhsNode[] = [];
  private readonly index = new Map<PhsNode[], Map<string, PhsNode>>();
  /** frames added */
  count = 0;
  bytes = 0;

  add(pkt: Pick<Packet, 'items' | 'meta'>): void {
    this.count++;
    const len = pkt.meta.origLen;
    this.bytes += len;
    let level = this.roots;
    for (const p of phsPath(pkt)) {
      let m = this.index.get(level);
      if (!m) {
        m = new Map();
        this.index.set(level, m);
      }
      let node = m.get(p.abbrev);
      if (!node) {
        node = { abbrev: p.abbrev, name: p.name, frames: 0, bytes: 0, children: [] };
        m.set(p.abbrev, node);
        level.push(node);
      }
      node.frames++;
      node.bytes += len;
      level = node.children;
    }
  }

  /** A deep copy of the tree so far. */
  tree(): PhsNode[] {
    const copy = (n: PhsNode): PhsNode => ({ ...n, children: n.children.map(copy) });
    return this.roots.map(copy);
  }
}

/** The protocol hierarchy of all frames read so far. */
export function computePhs(cap: Capture): { tree: PhsNode[]; frames: number; bytes: number } {
  const c = new PhsCollector();
  for (let n = 1; n <= cap.frames.count; n++) c.add(cap.dissect(n, false));
  return { tree: c.tree(), frames: c.count, bytes: c.bytes };
}

/** tshark's text form of the tree (the lines between the header and the closing rule). */
export function phsText(tree: PhsNode[]): string[] {
  const out: string[] = [];
  const walk = (nodes: PhsNode[], depth: number) => {
    for (const n of nodes) {
      const name = ' '.repeat(depth * 2) + n.abbrev;
      out.push(`${name.padEnd(40)} frames:${n.frames} bytes:${n.bytes}`);
      walk(n.children, depth + 1);
    }
  };
  walk(tree, 0);
  return out;
}
