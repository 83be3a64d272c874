// Pure helpers for the details tree: stable keys by field-abbrev path, the visible rows, lookups.
import type { TreeNode } from '../worker/protocol';

export interface KeyedNode {
  node: TreeNode;
  /** path of field abbrevs from the root, e.g. "ip/ip.flags/ip.flags.df"; repeated siblings get #n */
  key: string;
  parent: KeyedNode | null;
  level: number;
  children: KeyedNode[];
  /** 1-based position among its siblings, and their count */
  pos: number;
  size: number;
}

/** Give every node a key built from the abbrevs on its path, so expansion survives moving between packets. */
export function keyTree(nodes: readonly TreeNode[]): KeyedNode[] {
  const build = (list: readonly TreeNode[], parent: KeyedNode | null, level: number): KeyedNode[] => {
    const seen = new Map<string, number>();
    const out: KeyedNode[] = [];
    list.forEach((node, i) => {
      const n = seen.get(node.abbrev) ?? 0;
      seen.set(node.abbrev, n + 1);
      const own = n ? `${node.abbrev}#${n}` : node.abbrev;
      const k: KeyedNode = {
        node,
        key: parent ? `${parent.key}/${own}` : own,
        parent,
        level,
        children: [],
        pos: i + 1,
        size: list.length,
      };
      k.children = node.children ? build(node.children, k, level + 1) : [];
      out.push(k);
    });
    return out;
  };
  return build(nodes, null, 1);
}

/** The rows a reader sees: nodes whose ancestors are all expanded, in order. */
export function visibleRows(roots: readonly KeyedNode[], expanded: ReadonlySet<string>): KeyedNode[] {
  const out: KeyedNode[] = [];
  const walk = (list: readonly KeyedNode[]) => {
    for (const k of list) {
      out.push(k);
      if (k.children.length && expanded.has(k.key)) walk(k.children);
    }
  };
  walk(roots);
  return out;
}

export function findKey(roots: readonly KeyedNode[], key: string): KeyedNode | null {
  for (const k of roots) {
    if (k.key === key) return k;
    if (key.startsWith(k.key + '/')) {
      const f = findKey(k.children, key);
      if (f) return f;
    }
  }
  return null;
}

/**
 * The innermost node covering byte `offset` of data source `src`: the deepest match wins; among
 * matches at the same depth, the first (the narrowest ones come from deeper levels anyway).
 */
export function innermostAt(roots: readonly KeyedNode[], src: number, offset: number): KeyedNode | null {
  let best: KeyedNode | null = null;
  const walk = (list: readonly KeyedNode[]) => {
    for (const k of list) {
      const n = k.node;
      const covers = n.src === src && n.len > 0 && offset >= n.start && offset < n.start + n.len;
      if (covers) {
        if (!best || k.level > best.level || (k.level === best.level && n.len < best.node.len)) best = k;
      }
      // children may cover bytes outside their parent (e.g. a reassembled source): always descend
      if (k.children.length) walk(k.children);
    }
  };
  walk(roots);
  return best;
}

export function ancestors(k: KeyedNode): KeyedNode[] {
  const out: KeyedNode[] = [];
  for (let p = k.parent; p; p = p.parent) out.push(p);
  return out;
}

/** All keys of a subtree that have children (for "expand subtrees"). */
export function subtreeKeys(k: KeyedNode, out: string[] = []): string[] {
  if (k.children.length) {
    out.push(k.key);
    for (const c of k.children) subtreeKeys(c, out);
  }
  return out;
}

/** Expert info severity named in a label, for colouring. */
export function expertSeverity(label: string): 'error' | 'warn' | 'note' | 'chat' | 'comment' | null {
  const m = /^\[?Expert Info \((Error|Warning|Note|Chat|Comment)\//.exec(label);
  if (!m) return null;
  return ({ Error: 'error', Warning: 'warn', Note: 'note', Chat: 'chat', Comment: 'comment' } as const)[
    m[1] as 'Error' | 'Warning' | 'Note' | 'Chat' | 'Comment'
  ];
}
