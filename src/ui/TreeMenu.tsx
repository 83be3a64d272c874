// The context menu of a protocol-tree item, as Wireshark's: expand/collapse, Apply/Prepare as Filter (with the
// Not/and/or variants combining the field's filter with the one in the bar), and copying the item's text.
import { ContextMenu, type MenuEntry } from './Menu';
import { useStore, applyFilterText, setFilterInput, setExpanded, requestFields, type State } from './store';
import { subtreeKeys, type KeyedNode } from './tree';
import { FILTER_ACTIONS, combineFilter, type FilterAction } from '../core/dissect/filter-text';
import { addFieldColumn } from './columns/state';
import { i18n } from './i18n';

/** Put text on the clipboard: the async Clipboard API, or a hidden textarea and execCommand where it is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* not allowed here (permissions, insecure context): try the old way */
  }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.cssText = 'position:fixed;left:-9999px;top:0;opacity:0';
  const prev = document.activeElement as HTMLElement | null;
  document.body.appendChild(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  ta.remove();
  prev?.focus({ preventScroll: true });
  return ok;
}

/** Focus the display filter bar with its text selected (after Prepare as Filter). */
function focusFilterBar(): void {
  const input = document.querySelector<HTMLInputElement>('input[aria-label="Display filter"]');
  if (!input) return;
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length);
}

/** The field name an item can be copied as (none for text lines). */
function fieldName(k: KeyedNode): string {
  const a = k.node.abbrev;
  return a && a !== '_ws.text' ? a : '';
}

/** A column's title for the item: the field's name from the registry list, else read off its label. */
function columnTitle(k: KeyedNode, s: State): string {
  const abbrev = fieldName(k);
  const known = s.fieldList?.find((f) => f.abbrev === abbrev)?.name;
  if (known) return known;
  // "..1. .... = Syn: Set" or "Time to Live: 64": the words before the value
  const label = k.node.label.replace(/^[.01 ]+= /, '');
  const colon = label.indexOf(': ');
  return colon > 0 ? label.slice(0, colon) : label || abbrev;
}

/** Apply as Column (Ctrl+Shift+I): a packet-list column of the item's field, before Info. */
export function applyAsColumn(k: KeyedNode, s: State): boolean {
  const abbrev = fieldName(k);
  if (!abbrev) return false;
  addFieldColumn(abbrev, columnTitle(k, s));
  return true;
}

/** Every key with children under the given roots (Expand All). */
function allKeys(roots: readonly KeyedNode[]): string[] {
  const out: string[] = [];
  for (const r of roots) subtreeKeys(r, out);
  return out;
}

/** The entries of the menu for item `k`; `done` is called after a copy with what happened. */
export function treeMenuEntries(k: KeyedNode, s: State, done: (message: string) => void): MenuEntry[] {
  const t = i18n.t.bind(i18n);
  const filter = k.node.filter ?? '';
  const filterEntries = (apply: boolean): MenuEntry[] =>
    FILTER_ACTIONS.map(({ action }: { action: FilterAction }) => ({
      label: t(`treeMenu.filter.${action}`),
      disabled: !filter,
      title: filter ? combineFilter(s.filterInput, filter, action) : undefined,
      onSelect: () => {
        const text = combineFilter(useStore.getState().filterInput, filter, action);
        if (apply) applyFilterText(text);
        else {
          setFilterInput(text);
          focusFilterBar();
        }
      },
    }));
  const copy = (what: string, text: string) => () => {
    void copyText(text).then((ok) => done(t(ok ? 'treeMenu.copied' : 'treeMenu.notCopied', { what: t(`treeMenu.what.${what}`) })));
  };
  const roots = s.packet?.roots ?? [];
  const hasKids = k.children.length > 0;
  return [
    { label: t('treeMenu.expandSubtrees'), shortcut: 'Shift+→', disabled: !hasKids, onSelect: () => setExpanded(subtreeKeys(k), true) },
    { label: t('treeMenu.collapseSubtrees'), shortcut: 'Shift+←', disabled: !hasKids, onSelect: () => setExpanded(subtreeKeys(k), false) },
    { label: t('treeMenu.expandAll'), onSelect: () => setExpanded(allKeys(roots), true) },
    { label: t('treeMenu.collapseAll'), onSelect: () => setExpanded(allKeys(roots), false) },
    'separator',
    { label: t('treeMenu.applyColumn'), shortcut: 'Ctrl+Shift+I', disabled: !fieldName(k), title: fieldName(k) || undefined, onSelect: () => void applyAsColumn(k, useStore.getState()) },
    { label: t('treeMenu.applyFilter'), icon: 'filter', disabled: !filter, title: filter || undefined, submenu: filterEntries(true) },
    { label: t('treeMenu.prepareFilter'), disabled: !filter, title: filter || undefined, submenu: filterEntries(false) },
    'separator',
    { label: t('treeMenu.copyDescription'), icon: 'copy', onSelect: copy('description', k.node.label) },
    { label: t('treeMenu.copyFieldName'), disabled: !fieldName(k), onSelect: copy('fieldName', fieldName(k)) },
    { label: t('treeMenu.copyValue'), disabled: !k.node.value, onSelect: copy('value', k.node.value ?? '') },
    { label: t('treeMenu.copyFilter'), disabled: !filter, onSelect: copy('filter', filter) },
  ];
}

/** The menu, at (x, y) in the window. */
export function TreeMenu(props: { node: KeyedNode; x: number; y: number; onClose: () => void; onDone: (message: string) => void }) {
  const s = useStore.getState();
  // the fields' names title the columns Apply as Column makes
  requestFields();
  return <ContextMenu x={props.x} y={props.y} label={i18n.t('treeMenu.label')} entries={treeMenuEntries(props.node, s, props.onDone)} onClose={props.onClose} />;
}
