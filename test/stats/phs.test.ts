// Protocol hierarchy against tshark's `-q -z io,phs` (test/fixtures/golden/<capture>/phs.txt, made by
// scripts/stats-goldens.mjs): the same tree with the same frame and byte counts on every fixture.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computePhs } from '../../src/core/stats/phs';
import { getField } from '../../src/core/fields/registry';
import '../../src/core/dissectors';
import { goldenCaptures, loadCapture, GOLDEN } from './util';

/** 'depth abbrev frames bytes' per line of tshark's tree, siblings sorted (tshark's sibling order is its own). */
function tsharkTree(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^( *)(\S+)\s+frames:(\d+) bytes:(\d+)$/.exec(line);
    if (m) out.push(`${m[1]!.length / 2} ${m[2]} ${m[3]} ${m[4]}`);
  }
  return out;
}

function ourTree(nodes: ReturnType<typeof computePhs>['tree'], depth = 0, out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(`${depth} ${n.abbrev} ${n.frames} ${n.bytes}`);
    ourTree(n.children, depth + 1, out);
  }
  return out;
}

/**
 * Canonical form: each node's line followed by its subtree, siblings sorted by abbrev. A protocol we have no
 * dissector for (smtp, smb, db-lsp-disc…) is data to us: such a node and its subtree count as 'data'
 * (merged with a 'data' sibling), and so does our 'data' node's subtree.
 */
function canonical(lines: string[]): string {
  const known = (a: string) => a === 'pkt_comment' || a === 'tcp.segments' || getField(a)?.type === 'protocol';
  lines = lines.map((l) => {
    const [d, a, f, b] = l.split(' ');
    return known(a!) ? l : `${d} data ${f} ${b}`;
  });
  // drop everything below a data node, and merge data siblings
  const out: string[] = [];
  let cut = -1;
  for (const l of lines) {
    const [ds, a, f, b] = l.split(' ');
    const d = Number(ds);
    if (cut >= 0 && d > cut) continue;
    cut = -1;
    if (a === 'data') {
      cut = d;
      // a data sibling already seen under the same parent: add to it
      let j = out.length - 1;
      while (j >= 0 && Number(out[j]!.split(' ')[0]) > d) j--;
      for (; j >= 0 && Number(out[j]!.split(' ')[0]) >= d; j--) {
        const o = out[j]!.split(' ');
        if (Number(o[0]) === d && o[1] === 'data') {
          out[j] = `${d} data ${Number(o[2]) + Number(f)} ${Number(o[3]) + Number(b)}`;
          break;
        }
      }
      if (j >= 0 && Number(out[j]!.split(' ')[0]) === d && out[j]!.split(' ')[1] === 'data') continue;
    }
    out.push(l);
  }
  lines = out;
  interface N { line: string; kids: N[] }
  const root: N = { line: '', kids: [] };
  const stack: N[] = [root];
  for (const l of lines) {
    const d = Number(l.split(' ')[0]);
    const n: N = { line: l, kids: [] };
    stack.length = d + 1;
    stack[d]!.kids.push(n);
    stack[d + 1] = n;
  }
  const str = (n: N): string[] => [n.line, ...[...n.kids].sort((a, b) => (a.line.split(' ')[1]! < b.line.split(' ')[1]! ? -1 : 1)).flatMap(str)];
  return str(root).slice(1).join('\n');
}

describe('protocol hierarchy matches tshark -z io,phs', () => {
  for (const name of goldenCaptures()) {
    const g = join(GOLDEN, name, 'phs.txt');
    if (!existsSync(g)) continue;
    it(name, () => {
      const cap = loadCapture(name);
      const ours = computePhs(cap);
      expect(canonical(ourTree(ours.tree))).toBe(canonical(tsharkTree(readFileSync(g, 'utf8'))));
      expect(ours.frames).toBe(cap.frames.count);
    });
  }
});
