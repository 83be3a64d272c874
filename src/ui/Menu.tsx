// Menus: a toolbar menu button and a context menu, both ARIA menus with keyboard handling
// (arrows, Home/End, Enter/Space, Escape) that close on an outside click.
import { useEffect, useLayoutEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { Icon, type IconName } from './icons';

export type MenuEntry =
  | { label: string; shortcut?: string; disabled?: boolean; icon?: IconName; onSelect: () => void }
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
}) {
  const ref = useRef<HTMLDivElement>(null);
  const { onClose, owner } = props;

  const items = () => Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []);
  useEffect(() => {
    items()[0]?.focus();
  }, []);

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
        return (
          <button
            key={i}
            type="button"
            role="menuitem"
            className="menu-item"
            aria-disabled={e.disabled || undefined}
            tabIndex={-1}
            onClick={() => {
              if (e.disabled) return;
              onClose(false);
              e.onSelect();
            }}
          >
            <span className="menu-icon">{e.icon ? <Icon name={e.icon} /> : null}</span>
            <span className="menu-label">{e.label}</span>
            {e.shortcut && <kbd className="menu-kbd">{e.shortcut}</kbd>}
          </button>
        );
      })}
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
