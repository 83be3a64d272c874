// The text a tree item shows: its own text, or Wireshark's standard "Name: value", bracketed when generated.
import { standardLabel } from '../fields/format';
import { GENERATED, type Item } from './packet';

/** Wireshark keeps labels within 239 characters, marking longer ones "[truncated]" and keeping their start. */
const LABEL_MAX = 239;
const TRUNCATED = '[truncated]';

export function itemLabel(it: Item): string {
  let s = it.text ?? standardLabel(it.f, it.v);
  if (s.length > LABEL_MAX) s = TRUNCATED + s.slice(0, 226);
  if (it.flags & GENERATED && !s.startsWith('[')) return `[${s}]`;
  return s;
}

/** The whole tree as indented text (2 spaces a level), hidden items left out: handy for tests and text export. */
export function treeText(items: readonly Item[], depth = 0, showHidden = false): string {
  let out = '';
  for (const it of items) {
    if (it.flags & 1 && !showHidden) continue;
    out += '  '.repeat(depth) + itemLabel(it) + '\n';
    if (it.children) out += treeText(it.children, depth + 1, showHidden);
  }
  return out;
}
