import { describe, expect, it } from 'vitest';
import { keyTree, visibleRows, findKey, innermostAt, ancestors, subtreeKeys, expertSeverity } from './tree';
import type { TreeNode } from '../worker/protocol';

const n = (abbrev: string, start: number, len: number, children: TreeNode[] | null = null, src = 0): TreeNode => ({
  label: abbrev,
  abbrev,
  src,
  start,
  len,
  generated: false,
  children,
});

const tree: TreeNode[] = [
  n('frame', 0, 60, [n('frame.number', 0, 0)]),
  n('eth', 0, 14, [n('eth.dst', 0, 6, [n('eth.dst.lg', 0, 3)]), n('eth.src', 6, 6), n('eth.type', 12, 2)]),
  n('ip', 14, 20, [n('_ws.text', 14, 1), n('_ws.text', 15, 1), n('ip.src', 26, 4)]),
  n('tcp', 34, 20, [n('tcp.payload', 54, 6), n('tcp.reassembled', 0, 100, null, 1)]),
];

describe('details tree helpers', () => {
  const roots = keyTree(tree);

  it('keys nodes by abbrev path and numbers repeated siblings', () => {
    expect(roots.map((r) => r.key)).toEqual(['frame', 'eth', 'ip', 'tcp']);
    expect(roots[1]!.children.map((c) => c.key)).toEqual(['eth/eth.dst', 'eth/eth.src', 'eth/eth.type']);
    expect(roots[2]!.children.map((c) => c.key)).toEqual(['ip/_ws.text', 'ip/_ws.text#1', 'ip/ip.src']);
    expect(roots[1]!.children[0]!.children[0]!.level).toBe(3);
  });

  it('shows only expanded subtrees', () => {
    expect(visibleRows(roots, new Set()).length).toBe(4);
    expect(visibleRows(roots, new Set(['eth'])).map((k) => k.key)).toEqual(['frame', 'eth', 'eth/eth.dst', 'eth/eth.src', 'eth/eth.type', 'ip', 'tcp']);
    // a collapsed parent hides an expanded child
    expect(visibleRows(roots, new Set(['eth/eth.dst'])).length).toBe(4);
  });

  it('finds keys, ancestors and subtrees', () => {
    const k = findKey(roots, 'eth/eth.dst/eth.dst.lg')!;
    expect(k.node.abbrev).toBe('eth.dst.lg');
    expect(ancestors(k).map((a) => a.key)).toEqual(['eth/eth.dst', 'eth']);
    expect(subtreeKeys(roots[1]!)).toEqual(['eth', 'eth/eth.dst']);
    expect(findKey(roots, 'nope')).toBeNull();
  });

  it('finds the innermost item covering a byte', () => {
    expect(innermostAt(roots, 0, 1)!.key).toBe('eth/eth.dst/eth.dst.lg');
    expect(innermostAt(roots, 0, 4)!.key).toBe('eth/eth.dst');
    expect(innermostAt(roots, 0, 13)!.key).toBe('eth/eth.type');
    expect(innermostAt(roots, 0, 20)!.key).toBe('ip');
    expect(innermostAt(roots, 0, 55)!.key).toBe('tcp/tcp.payload');
    expect(innermostAt(roots, 1, 50)!.key).toBe('tcp/tcp.reassembled');
    expect(innermostAt(roots, 0, 999)).toBeNull();
  });

  it('reads expert severities from labels', () => {
    expect(expertSeverity('Expert Info (Warning/Sequence): Previous segment not captured')).toBe('warn');
    expect(expertSeverity('[Expert Info (Chat/Sequence): Connection establish request (SYN)]')).toBe('chat');
    expect(expertSeverity('Source: 1.2.3.4')).toBeNull();
  });
});
