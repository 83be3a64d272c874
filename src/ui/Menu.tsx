// Menus: a toolbar menu button and a context menu, both ARIA menus with keyboard handling
// (arrows, Home/End, Enter/Space, Escape) that close on an outside click. An entry may open a submenu
// (hover, click, → or Enter; ← or Escape goes back to it).
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Icon, type IconName } from './icons';

export type MenuEntry =
  | { label: string; shortcut?: string; disabled?: boolean; icon?: IconName; title?: string; onSelect: () => void; radio?: boolean; checkbox?: boolean; checked?: boolean }
  | { label: string; disabled?: boolean; icon?: IconName; title?: string; submenu: MenuEntry[] }
  | 'separator'
  | { heading: string };

function isItem(e: MenuEntry): e is Extract<MenuEntry, { label: string }> {
  return typeof e === 'object' && 'label' in e;
}

export function MenuList(props: {
  entries: MenuEntry[];
  label: string;
  onClose: (refocus: boolean) => void;
  style?: CSSProperties;
  className?: string;
  /** the button that opened the menu: a press on it toggles the menu there, not here */
  owner?: RefObject<HTMLElement | null>;
  /** a submenu: ← closes it (refocusing its entry) */
  nested?: boolean;
  /** focus the first entry when shown (not for a submenu opened by hovering) */
  autoFocus?: boolean;
  /** a submenu: the left edge of its parent menu, where it goes instead when it does not fit to the right */
  flipTo?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { onClose, owner } = props;
  /** the open submenu: its entry's index and where it shows */
  const [sub, setSub] = useState<{ index: number; focus: boolean; style: CSSProperties; flipTo: number } | null>(null);

  // this menu's own entries (not those of an open submenu)
  const items = () =>
    Array.from(ref.current?.querySelectorAll<HTMLButtonElement>(':scope > :is([role="menuitem"], [role="menuitemradio"], [role="menuitemcheckbox"]):not([aria-disabled="true"])') ?? []);
  useEffect(() => {
    if (props.autoFocus !== false) items()[0]?.focus();
  }, []);
  // a submenu stays inside the window: to the parent's left when it is too wide, higher when too tall
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || props.flipTo === undefined) return;
    const r = el.getBoundingClientRect();
    if (r.right > window.innerWidth - 4) {
      el.style.left = `${Math.max(4, Math.round(props.flipTo - r.width - 2))}px`;
    }
    if (r.bottom > window.innerHeight - 4) el.style.top = `${Math.max(4, Math.round(window.innerHeight - r.height - 4))}px`;
  }, []);

  const openSub = (index: number, el: HTMLElement, focus: boolean) => {
    // to the right of the entry; the submenu moves to this menu's left itself when it does not fit
    const r = el.getBoundingClientRect();
    setSub({
      index,
      focus,
      style: { position: 'fixed', top: Math.round(r.top - 5), left: Math.round(r.right + 2) },
      flipTo: ref.current?.getBoundingClientRect().left ?? r.left,
    });
  };

  useEffect(() => {
    const down = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!ref.current?.contains(t) && !owner?.current?.contains(t)) onClose(false);
    };
    const blur = () => onClose(false);
    document.addEventListener('mousedown', down, true);
    window.addEventListener('blur', blur);
    window.addEventListener('resize', blur);
    return () => {
      document.removeEventListener('mousedown', down, true);
      window.removeEventListener('blur', blur);
      window.removeEventListener('resize', blur);
    };
  }, [onClose, owner]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // keys pressed in an open submenu are its own
    if ((e.target as HTMLElement).parentElement !== ref.current) return;
    const list = items();
    const i = list.indexOf(document.activeElement as HTMLButtonElement);
    let next = -1;
    switch (e.key) {
      case 'ArrowDown':
        next = (i + 1) % list.length;
        break;
      case 'ArrowUp':
        next = (i - 1 + list.length) % list.length;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = list.length - 1;
        break;
      case 'ArrowRight':
      case 'Enter':
      case ' ': {
        const el = list[i];
        const idx = el ? Number(el.dataset.index) : -1;
        const entry = props.entries[idx];
        if (!el || !entry || !isItem(entry) || !('submenu' in entry)) return;
        e.preventDefault();
        e.stopPropagation();
        openSub(idx, el, true);
        return;
      }
      case 'ArrowLeft':
        if (!props.nested) return;
        e.preventDefault();
        e.stopPropagation();
        onClose(true);
        return;
      case 'Escape':
      case 'Tab':
        e.preventDefault();
        e.stopPropagation();
        onClose(true);
        return;
      default:
        return;
    }
    e.preventDefault();
    setSub(null);
    list[next]?.focus();
  };

  return (
    <div ref={ref} className={`menu${props.className ? ' ' + props.className : ''}`} role="menu" aria-label={props.label} style={props.style} onKeyDown={onKeyDown}>
      {props.entries.map((e, i) => {
        if (e === 'separator') return <div key={i} className="menu-sep" role="separator" />;
        if (!isItem(e))
          return (
            <div key={i} className="menu-head" role="presentation">
              {e.heading}
            </div>
          );
        if ('submenu' in e) {
          const open = sub?.index === i;
          return (
            <button
              key={i}
              type="button"
              role="menuitem"
              className={`menu-item${open ? ' menu-open' : ''}`}
              aria-haspopup="menu"
              aria-expanded={open}
              aria-disabled={e.disabled || undefined}
              title={e.title}
              tabIndex={-1}
              data-index={i}
              onMouseEnter={(ev) => !e.disabled && openSub(i, ev.currentTarget, false)}
              onClick={(ev) => !e.disabled && openSub(i, ev.currentTarget, true)}
            >
              <span className="menu-icon">{e.icon ? <Icon name={e.icon} /> : null}</span>
              <span className="menu-label">{e.label}</span>
              <Icon name="chevron" className="menu-sub-caret" />
            </button>
          );
        }
        return (
          <button
            key={i}
            type="button"
            // one of a group of choices (radio) or an on/off choice (checkbox): announced as checked or not, with a check mark
            role={e.radio ? 'menuitemradio' : e.checkbox ? 'menuitemcheckbox' : 'menuitem'}
            aria-checked={e.radio || e.checkbox ? !!e.checked : undefined}
            className="menu-item"
            aria-disabled={e.disabled || undefined}
            title={e.title}
            tabIndex={-1}
            data-index={i}
            onMouseEnter={() => setSub(null)}
            onClick={() => {
              if (e.disabled) return;
              onClose(false);
              e.onSelect();
            }}
          >
            <span className="menu-icon">{(e.radio || e.checkbox) && e.checked ? <Icon name="check" /> : e.icon ? <Icon name={e.icon} /> : null}</span>
            <span className="menu-label">{e.label}</span>
            {e.shortcut && <kbd className="menu-kbd">{e.shortcut}</kbd>}
          </button>
        );
      })}
      {sub &&
        (() => {
          const e = props.entries[sub.index];
          if (!e || !isItem(e) || !('submenu' in e)) return null;
          return (
            <MenuList
              key={`${sub.index}-${sub.focus}`}
              entries={e.submenu}
              label={e.label}
              style={sub.style}
              owner={ref}
              nested
              flipTo={sub.flipTo}
              autoFocus={sub.focus}
              onClose={(refocus) => {
                setSub(null);
                if (refocus) items().find((b) => Number(b.dataset.index) === sub.index)?.focus();
                else onClose(false);
              }}
            />
          );
        })()}
    </div>
  );
}

/** A toolbar button opening a drop-down menu; `entries` is evaluated when it opens. */
export function MenuButton(props: { label: string; icon?: IconName; entries: () => MenuEntry[]; title?: string; children?: ReactNode }) {
  const [open, setOpen] = useState(false);
  const btn = useRef<HTMLButtonElement>(null);
  const [pos, setPos] = useState<CSSProperties>({});
  useLayoutEffect(() => {
    if (!open || !btn.current) return;
    const r = btn.current.getBoundingClientRect();
    setPos({ position: 'fixed', left: Math.round(r.left), top: Math.round(r.bottom + 4) });
  }, [open]);
  return (
    <>
      <button
        ref={btn}
        type="button"
        className={`tb-btn${open ? ' pressed-menu' : ''}`}
        aria-haspopup="menu"
        aria-expanded={open}
        title={props.title}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setOpen(true);
          }
        }}
      >
        {props.icon && <Icon name={props.icon} />}
        <span>{props.label}</span>
        <Icon name="chevron" className="tb-caret" />
      </button>
      {open && (
        <MenuList
          entries={props.entries()}
          label={props.label}
          style={pos}
          owner={btn}
          onClose={(refocus) => {
            setOpen(false);
            if (refocus) btn.current?.focus();
          }}
        />
      )}
    </>
  );
}

/** A menu at the mouse position (kept inside the window). */
export function ContextMenu(props: { x: number; y: number; entries: MenuEntry[]; label: string; onClose: () => void }) {
  const [pos, setPos] = useState<CSSProperties>({ position: 'fixed', left: props.x, top: props.y, opacity: 0 });
  const wrap = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const m = wrap.current?.firstElementChild as HTMLElement | null;
    if (!m) return;
    const w = m.offsetWidth;
    const h = m.offsetHeight;
    setPos({
      position: 'fixed',
      left: Math.max(4, Math.min(props.x, window.innerWidth - w - 4)),
      top: Math.max(4, Math.min(props.y, window.innerHeight - h - 4)),
    });
  }, [props.x, props.y]);
  return (
    <div ref={wrap}>
      <MenuList entries={props.entries} label={props.label} style={pos} onClose={props.onClose} />
    </div>
  );
}
