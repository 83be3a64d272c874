// The packet details: the protocol tree as an ARIA tree with Wireshark-like keyboard handling.
import { useEffect, useMemo, useRef, useState, type CSSProperties, type KeyboardEvent } from 'react';
import { useStore, setExpanded, selectTreeKey } from './store';
import { visibleRows, subtreeKeys, expertSeverity, findKey, type KeyedNode } from './tree';
import { i18n, useT } from './i18n';
import { explain, explanationText } from './classroom/explain';
import { TreeMenu, applyAsColumn } from './TreeMenu';

const idOf = (key: string) => `ti-${key.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;

export function DetailsTree() {
  const packet = useStore((s) => s.packet);
  const expanded = useStore((s) => s.expanded);
  const selectedKey = useStore((s) => s.selectedKey);
  const hasCapture = useStore((s) => s.meta !== null);
  const waiting = useStore((s) => (s.packetWaiting && s.packetWaiting === s.selectedFrame && s.packet?.frame !== s.selectedFrame ? s.packetWaiting : 0));
  const ref = useRef<HTMLDivElement>(null);
  const t = useT();
  /** the context menu: the item it is for and where it shows */
  const [menu, setMenu] = useState<{ key: string; x: number; y: number } | null>(null);
  /** a short note after a copy ("Copied value"), cleared after a while */
  const [note, setNote] = useState('');
  useEffect(() => {
    if (!note) return;
    const id = setTimeout(() => setNote(''), 2500);
    return () => clearTimeout(id);
  }, [note]);
  // the tooltip of an item: its plain-language explanation, then the field abbrev and its bytes
  const tip = (k: KeyedNode) => {
    const ex = explanationText(explain(k, t, (key) => i18n.exists(key)));
    const a = k.node.abbrev && !k.node.abbrev.startsWith('_ws.') ? `${k.node.abbrev}${k.node.len ? ` · ${t('tree.bytesAt', { count: k.node.len, start: k.node.start })}` : ''}` : '';
    return [ex, a].filter(Boolean).join('\n\n') || undefined;
  };

  const visible = useMemo(() => (packet ? visibleRows(packet.roots, expanded) : []), [packet, expanded]);
  const menuNode = menu && packet ? (findKey(packet.roots, menu.key) ?? null) : null;
  const selIdx = selectedKey ? visible.findIndex((k) => k.key === selectedKey) : -1;

  useEffect(() => {
    if (!selectedKey) return;
    const el = document.getElementById(idOf(selectedKey));
    el?.scrollIntoView({ block: 'nearest' });
  }, [selectedKey, packet]);

  /** Open the context menu for `k` just under its label (from the keyboard). */
  const menuUnder = (k: KeyedNode) => {
    const r = document.getElementById(idOf(k.key))?.querySelector('.tlabel')?.getBoundingClientRect();
    setMenu({ key: k.key, x: Math.round(r ? r.left + 8 : 40), y: Math.round(r ? r.bottom : 40) });
  };

  const toggle = (k: KeyedNode, on = !expanded.has(k.key)) => {
    if (k.children.length) setExpanded([k.key], on);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!visible.length) return;
    const cur = selIdx >= 0 ? visible[selIdx]! : null;
    const go = (k: KeyedNode | undefined) => k && selectTreeKey(k.key);
    const page = Math.max(1, Math.floor((ref.current?.clientHeight ?? 200) / 19) - 1);
    switch (e.key) {
      case 'ArrowDown':
        go(visible[cur ? Math.min(visible.length - 1, selIdx + 1) : 0]);
        break;
      case 'ArrowUp':
        go(visible[cur ? Math.max(0, selIdx - 1) : 0]);
        break;
      case 'PageDown':
        go(visible[Math.min(visible.length - 1, Math.max(0, selIdx) + page)]);
        break;
      case 'PageUp':
        go(visible[Math.max(0, selIdx - page)]);
        break;
      case 'Home':
        go(visible[0]);
        break;
      case 'End':
        go(visible[visible.length - 1]);
        break;
      case 'ArrowRight':
        if (!cur) go(visible[0]);
        else if (e.shiftKey || e.ctrlKey) setExpanded(subtreeKeys(cur), true);
        else if (cur.children.length && !expanded.has(cur.key)) toggle(cur, true);
        else if (cur.children.length) go(cur.children[0]);
        break;
      case 'ArrowLeft':
        if (!cur) go(visible[0]);
        else if (e.shiftKey || e.ctrlKey) setExpanded(subtreeKeys(cur), false);
        else if (cur.children.length && expanded.has(cur.key)) toggle(cur, false);
        else if (cur.parent) go(cur.parent);
        break;
      case 'Enter':
      case ' ':
        if (cur) toggle(cur);
        break;
      case '*':
        if (cur) setExpanded(subtreeKeys(cur), true);
        break;
      case 'I':
      case 'i':
        // Ctrl+Shift+I: Apply as Column, as Wireshark
        if (!(e.ctrlKey || e.metaKey) || !e.shiftKey || !cur || !applyAsColumn(cur, useStore.getState())) return;
        break;
      case 'ContextMenu':
      case 'F10':
        if (e.key === 'F10' && !e.shiftKey) return;
        if (cur) menuUnder(cur);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  if (waiting) {
    return (
      <div className="details">
        <div className="pane-empty">{t('tree.waiting', { frame: waiting })}</div>
      </div>
    );
  }

  if (!packet) {
    return (
      <div className="details">
        <div className="pane-empty">{hasCapture ? t('tree.selectPacket') : ''}</div>
      </div>
    );
  }

  return (
    <>
      <div
        ref={ref}
        className="details"
        role="tree"
        aria-label={t('tree.label')}
        tabIndex={0}
        aria-activedescendant={selectedKey && selIdx >= 0 ? idOf(selectedKey) : undefined}
        onKeyDown={onKeyDown}
        onContextMenu={(e) => {
          // the context menu key on the tree itself (items handle mouse clicks): the selected item's menu
          if (e.target !== e.currentTarget) return;
          e.preventDefault();
          if (selIdx >= 0) menuUnder(visible[selIdx]!);
        }}
        onFocus={() => {
          // read the store, not this render's value: a click selects an item just before focusing
          if (!useStore.getState().selectedKey && visible[0]) selectTreeKey(visible[0].key);
        }}
      >
        {visible.map((k) => {
          const hasKids = k.children.length > 0;
          const open = hasKids && expanded.has(k.key);
          const sel = k.key === selectedKey;
          const sev = k.node.abbrev.startsWith('_ws.expert') || k.node.label.includes('Expert Info') ? expertSeverity(k.node.label) : null;
          return (
            <div
              key={k.key}
              id={idOf(k.key)}
              role="treeitem"
              aria-level={k.level}
              aria-posinset={k.pos}
              aria-setsize={k.size}
              aria-expanded={hasKids ? open : undefined}
              aria-selected={sel}
              className={`titem${sel ? ' selected' : ''}${k.node.generated ? ' generated' : ''}${sev ? ` expert-${sev}` : ''}${k.level === 1 ? ' top' : ''}`}
              style={{ paddingLeft: 4 + (k.level - 1) * 16 }}
              title={tip(k)}
              onMouseDown={(e) => {
                if ((e.target as HTMLElement).classList.contains('twisty')) return;
                selectTreeKey(k.key);
                ref.current?.focus({ preventScroll: true });
              }}
              onDoubleClick={() => toggle(k)}
              onContextMenu={(e) => {
                e.preventDefault();
                selectTreeKey(k.key);
                ref.current?.focus({ preventScroll: true });
                setMenu({ key: k.key, x: e.clientX, y: e.clientY });
              }}
            >
              <span
                className={`twisty${hasKids ? (open ? ' open' : '') : ' leaf'}`}
                aria-hidden="true"
                onMouseDown={(e) => {
                  e.preventDefault();
                  selectTreeKey(k.key);
                  toggle(k);
                  ref.current?.focus({ preventScroll: true });
                }}
              />
              <span className="tlabel">{k.node.label}</span>
            </div>
          );
        })}
      </div>
      {/* outside the tree: the menu's keys and clicks are not the tree's */}
      {menuNode && (
        <TreeMenu
          node={menuNode}
          x={menu!.x}
          y={menu!.y}
          onDone={setNote}
          onClose={() => {
            setMenu(null);
            // back to the tree unless the menu moved the focus on purpose (Prepare as Filter)
            requestAnimationFrame(() => {
              const a = document.activeElement;
              if (!a || a === document.body) ref.current?.focus({ preventScroll: true });
            });
          }}
        />
      )}
      <div className="tree-note" aria-live="polite" style={noteStyle(ref.current, note)}>
        {note}
      </div>
    </>
  );
}

/** The copy note shows in the bottom right corner of the tree pane. */
function noteStyle(tree: HTMLElement | null, note: string): CSSProperties {
  if (!note || !tree) return { display: 'none' };
  const r = tree.getBoundingClientRect();
  return { right: Math.round(window.innerWidth - r.right + 10), bottom: Math.round(window.innerHeight - r.bottom + 8) };
}
