// The filter bar's bookmark menu (classroom filters, the user's own, save / remove) and the small
// "Save this filter" form. An ARIA menu with arrow keys, Home/End, Enter and Escape.
import { useEffect, useRef, useState, useSyncExternalStore, type KeyboardEvent, type RefObject } from 'react';
import { BUILTIN_BOOKMARKS, removeBookmark, savedBookmarks, subscribeFilterLists, type Bookmark } from '../bookmarks';
import { FbIcon } from './icons';

type Entry =
  | { kind: 'filter'; bookmark: Bookmark }
  | { kind: 'action'; label: string; icon: 'plus' | 'trash'; disabled: boolean; run: () => void }
  | { kind: 'head'; label: string }
  | { kind: 'sep' };

export function useSavedBookmarks(): readonly Bookmark[] {
  return useSyncExternalStore(subscribeFilterLists, savedBookmarks);
}

export function BookmarkMenu(props: {
  /** the text in the bar (Save / Remove act on it) */
  current: string;
  /** the text compiles */
  currentValid: boolean;
  onPick: (b: Bookmark) => void;
  onSave: () => void;
  onClose: (refocus: boolean) => void;
  owner: RefObject<HTMLElement | null>;
}) {
  const { onClose, owner } = props;
  const ref = useRef<HTMLDivElement>(null);
  const saved = useSavedBookmarks();
  const cur = props.current.trim();
  const mine = saved.find((b) => b.filter === cur);

  const entries: Entry[] = [{ kind: 'head', label: 'Classroom filters' }, ...BUILTIN_BOOKMARKS.map((b): Entry => ({ kind: 'filter', bookmark: b }))];
  if (saved.length) entries.push({ kind: 'sep' }, { kind: 'head', label: 'My filters' }, ...saved.map((b): Entry => ({ kind: 'filter', bookmark: b })));
  entries.push(
    { kind: 'sep' },
    { kind: 'action', label: 'Save this filter…', icon: 'plus', disabled: !cur || !props.currentValid || !!mine, run: props.onSave },
    {
      kind: 'action',
      label: mine ? `Remove “${mine.name}”` : 'Remove this filter',
      icon: 'trash',
      disabled: !mine,
      run: () => mine && removeBookmark(mine.filter),
    },
  );

  const items = () => Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? []);
  useEffect(() => {
    items()[0]?.focus();
  }, []);

  useEffect(() => {
    const down = (e: MouseEvent) => {
      const t = e.target as Node;
      if (!ref.current?.contains(t) && !owner.current?.contains(t)) onClose(false);
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
    <div ref={ref} className="menu fb-menu" role="menu" aria-label="Display filter bookmarks" onKeyDown={onKeyDown}>
      {entries.map((e, i) => {
        if (e.kind === 'sep') return <div key={i} className="menu-sep" role="separator" />;
        if (e.kind === 'head')
          return (
            <div key={i} className="menu-head" role="presentation">
              {e.label}
            </div>
          );
        if (e.kind === 'action')
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
                e.run();
              }}
            >
              <span className="menu-icon">
                <FbIcon name={e.icon} />
              </span>
              <span className="menu-label">{e.label}</span>
            </button>
          );
        const b = e.bookmark;
        return (
          <button
            key={i}
            type="button"
            role="menuitem"
            className={`menu-item fb-bookmark${b.filter === cur ? ' current' : ''}`}
            tabIndex={-1}
            title={b.filter}
            onClick={() => {
              onClose(false);
              props.onPick(b);
            }}
          >
            <span className="menu-icon">
              <FbIcon name="bookmark" />
            </span>
            <span className="menu-label">{b.name}</span>
            <code className="fb-bookmark-filter">{b.filter}</code>
          </button>
        );
      })}
    </div>
  );
}

/** The form that names the filter being saved. */
export function SaveBookmarkForm(props: { filter: string; onSave: (name: string) => void; onCancel: () => void }) {
  const [name, setName] = useState(props.filter);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <form
      className="fb-save"
      role="dialog"
      aria-label="Save display filter"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(name);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          props.onCancel();
        }
      }}
    >
      <label className="fb-save-row">
        <span>Name</span>
        <input ref={input} type="text" value={name} spellCheck={false} onChange={(e) => setName(e.target.value)} />
      </label>
      <code className="fb-save-filter">{props.filter}</code>
      <div className="fb-save-buttons">
        <button type="button" className="btn" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn primary" disabled={!name.trim()}>
          Save
        </button>
      </div>
    </form>
  );
}
