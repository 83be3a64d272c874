// The display-filter bar: green / yellow / red as you type, Enter applies, autocomplete of protocol and
// field names (and value names after ==) from the worker's registry, the history of applied filters
// (Alt+Down or the arrow), and the bookmark menu. Esc goes back to the packet list; Ctrl+/ comes back.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent, type RefObject } from 'react';
import { useStore, setFilterInput, applyFilter, clearFilter, requestFields } from './store';
import { Icon } from './icons';
import { addToHistory, filterHistory, saveBookmark, subscribeFilterLists, type Bookmark } from './bookmarks';
import { applyCompletion, completionsAt, FieldIndex, type Completion, type CompletionList } from './filterBar/complete';
import { BookmarkMenu, SaveBookmarkForm } from './filterBar/BookmarkMenu';
import { FbIcon } from './filterBar/icons';

// every filter the list shows was applied: remember it (from the bar, a bookmark, Follow, Apply as Filter…)
useStore.subscribe((s, prev) => {
  if (s.appliedFilter && s.appliedFilter !== prev.appliedFilter) addToHistory(s.appliedFilter);
});

type Popup = { kind: 'complete'; list: CompletionList; active: number } | { kind: 'history'; active: number } | null;

/** How many completion rows are rendered at most (the rest are counted). */
const SHOWN = 200;

function focusPacketList(): void {
  document.querySelector<HTMLElement>('[role="grid"][aria-label="Packet list"]')?.focus();
}

/** Width of `text` in the input's font (to put the completion list under the word being typed). */
let measureCtx: CanvasRenderingContext2D | null = null;
function textWidth(input: HTMLInputElement, text: string): number {
  measureCtx ??= document.createElement('canvas').getContext('2d');
  if (!measureCtx) return 0;
  const cs = getComputedStyle(input);
  measureCtx.font = `${cs.fontSize} ${cs.fontFamily}`;
  return measureCtx.measureText(text).width;
}

export function FilterBar({ inputRef }: { inputRef: RefObject<HTMLInputElement | null> }) {
  const text = useStore((s) => s.filterInput);
  const check = useStore((s) => s.filterCheck);
  const checkText = useStore((s) => s.filterCheckText);
  const error = useStore((s) => s.filterError);
  const applied = useStore((s) => s.appliedFilter);
  const fieldList = useStore((s) => s.fieldList);
  const history = useSyncExternalStore(subscribeFilterLists, filterHistory);

  const [popup, setPopup] = useState<Popup>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [listLeft, setListLeft] = useState(0);
  const barRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const bookmarkBtn = useRef<HTMLButtonElement>(null);
  const pendingCaret = useRef<number | null>(null);

  const index = useMemo(() => (fieldList ? new FieldIndex(fieldList) : null), [fieldList]);

  const current = checkText === text ? check : null;
  let state: 'empty' | 'valid' | 'invalid' | 'unknown' = 'unknown';
  if (!text.trim()) state = 'empty';
  else if (current) state = current.ok ? 'valid' : 'invalid';
  const warnings = current && current.ok && text.trim() ? current.warnings : [];
  const warn = warnings.length > 0;
  const hint = current && text.trim() ? (current.ok ? warnings.join('\n') : current.message) : '';
  const dirty = text.trim() !== applied;

  /** Recompute the completion list for the caret (closing it when there is nothing to offer). */
  const refresh = useCallback(
    (value: string, caret: number | null) => {
      const input = inputRef.current;
      if (!index || caret === null || !input) {
        setPopup((p) => (p?.kind === 'complete' ? null : p));
        return;
      }
      const list = completionsAt(value, caret, index, SHOWN);
      if (!list) {
        setPopup((p) => (p?.kind === 'complete' ? null : p));
        return;
      }
      const padLeft = parseFloat(getComputedStyle(input).paddingLeft) || 0;
      const x = input.offsetLeft + padLeft + textWidth(input, value.slice(0, list.start)) - input.scrollLeft - 8;
      setListLeft(Math.max(0, Math.round(x)));
      setPopup({ kind: 'complete', list, active: -1 });
    },
    [index, inputRef],
  );

  // the field list arrives after the first keystrokes: offer what matches by then
  useEffect(() => {
    const input = inputRef.current;
    if (index && input && document.activeElement === input && input.value) refresh(input.value, input.selectionStart);
  }, [index]); // eslint-disable-line react-hooks/exhaustive-deps

  // put the caret after an accepted completion once React has written the new text
  useLayoutEffect(() => {
    const c = pendingCaret.current;
    if (c === null || !inputRef.current) return;
    pendingCaret.current = null;
    inputRef.current.setSelectionRange(c, c);
  }, [text, inputRef]);

  // keep the active option in view
  useEffect(() => {
    if (!popup || popup.active < 0) return;
    listRef.current?.querySelector(`[data-i="${popup.active}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [popup]);

  const accept = (item: Completion, list: CompletionList) => {
    const r = applyCompletion(text, list, item);
    pendingCaret.current = r.caret;
    setFilterInput(r.text);
    setPopup(null);
  };

  const apply = (value: string) => {
    setPopup(null);
    applyFilter(value);
  };

  const pickFilter = (value: string) => {
    setFilterInput(value);
    apply(value);
    inputRef.current?.focus();
  };

  const toggleHistory = () => {
    setPopup((p) => (p?.kind === 'history' ? null : { kind: 'history', active: -1 }));
    inputRef.current?.focus();
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      if (e.key === 'ArrowDown') toggleHistory();
      else setPopup(null);
      return;
    }
    if (popup) {
      const n = popup.kind === 'complete' ? popup.list.items.length : history.length;
      const move = (to: number) => {
        e.preventDefault();
        setPopup({ ...popup, active: Math.max(-1, Math.min(n - 1, to)) });
      };
      switch (e.key) {
        case 'ArrowDown':
          return move(popup.active + 1);
        case 'ArrowUp':
          return move(popup.active - 1);
        case 'PageDown':
          return move(Math.max(0, popup.active) + 10);
        case 'PageUp':
          return move(popup.active - 10);
        case 'Escape':
          e.preventDefault();
          e.stopPropagation();
          setPopup(null);
          return;
        case 'Tab':
          if (popup.kind === 'complete' && n > 0) {
            e.preventDefault();
            accept(popup.list.items[Math.max(0, popup.active)]!, popup.list);
          } else setPopup(null);
          return;
        case 'Enter':
          if (popup.active >= 0) {
            e.preventDefault();
            if (popup.kind === 'complete') accept(popup.list.items[popup.active]!, popup.list);
            else pickFilter(history[popup.active]!);
            return;
          }
          break;
      }
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      apply(text);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      focusPacketList();
    }
  };

  const activeId = popup && popup.active >= 0 ? `fb-opt-${popup.active}` : undefined;
  const describedBy = error ? 'filter-error' : warn ? 'filter-warning' : undefined;

  return (
    <div ref={barRef} className={`filterbar ${state}${warn ? ' warn' : ''}${error ? ' show-error' : ''}${popup ? ' popup-open' : ''}`}>
      <button
        ref={bookmarkBtn}
        type="button"
        className={`filter-btn bookmark${menuOpen ? ' open' : ''}`}
        aria-label="Display filter bookmarks"
        aria-haspopup="menu"
        aria-expanded={menuOpen}
        title="Classroom filters and your saved filters"
        onClick={() => {
          setPopup(null);
          setMenuOpen((o) => !o);
        }}
      >
        <FbIcon name="bookmark" />
      </button>
      <input
        ref={inputRef}
        type="text"
        role="textbox"
        aria-label="Display filter"
        aria-invalid={state === 'invalid'}
        aria-autocomplete="list"
        aria-controls={popup ? 'filter-popup' : undefined}
        aria-activedescendant={activeId}
        aria-describedby={describedBy}
        title={hint || undefined}
        placeholder="Apply a display filter … <Ctrl-/>"
        spellCheck={false}
        autoComplete="off"
        autoCapitalize="off"
        value={text}
        onFocus={requestFields}
        onChange={(e) => {
          setFilterInput(e.target.value);
          refresh(e.target.value, e.target.selectionStart);
        }}
        onKeyDown={onKey}
        onBlur={() => setPopup(null)}
      />
      {text && (
        <button type="button" className="filter-btn" aria-label="Clear display filter" title="Clear display filter" onClick={clearFilter}>
          <Icon name="clear" />
        </button>
      )}
      <button
        type="button"
        className={`filter-btn apply${dirty ? ' dirty' : ''}`}
        aria-label="Apply display filter"
        title="Apply display filter (Enter)"
        onClick={() => apply(text)}
      >
        <Icon name="arrow" />
      </button>
      <button
        type="button"
        className={`filter-btn history${popup?.kind === 'history' ? ' open' : ''}`}
        aria-label="Recent display filters"
        aria-haspopup="listbox"
        aria-expanded={popup?.kind === 'history'}
        title="Recent display filters (Alt+Down)"
        tabIndex={-1}
        onMouseDown={(e) => e.preventDefault()}
        onClick={toggleHistory}
      >
        <Icon name="chevron" />
      </button>

      {popup?.kind === 'complete' && (
        <div
          ref={listRef}
          id="filter-popup"
          className="fb-popup fb-complete"
          role="listbox"
          aria-label="Filter completions"
          style={{ left: listLeft }}
          onMouseDown={(e) => e.preventDefault()}
        >
          {popup.list.items.map((c, i) => (
            <div
              key={c.label}
              id={`fb-opt-${i}`}
              data-i={i}
              role="option"
              aria-selected={i === popup.active}
              className={`fb-option${i === popup.active ? ' active' : ''}`}
              onMouseEnter={() => setPopup({ ...popup, active: i })}
              onClick={() => accept(c, popup.list)}
            >
              <span className="fb-abbrev">
                {c.matched > 0 ? (
                  <>
                    <b>{c.label.slice(0, c.matched)}</b>
                    {c.label.slice(c.matched)}
                  </>
                ) : (
                  c.label
                )}
              </span>
              <span className="fb-name">{c.kind === 'field' ? c.name : c.type}</span>
              <span className="fb-type">{c.kind === 'field' ? c.type : c.name}</span>
            </div>
          ))}
          {popup.list.total > popup.list.items.length && (
            <div className="fb-more" role="presentation">
              {(popup.list.total - popup.list.items.length).toLocaleString('en-US')} more — keep typing to narrow
            </div>
          )}
        </div>
      )}

      {popup?.kind === 'history' && (
        <div ref={listRef} id="filter-popup" className="fb-popup fb-history" role="listbox" aria-label="Recent display filters" onMouseDown={(e) => e.preventDefault()}>
          {history.length === 0 && (
            <div className="fb-empty" role="presentation">
              No recent filters yet: the filters you apply are listed here.
            </div>
          )}
          {history.map((f, i) => (
            <div
              key={f}
              id={`fb-opt-${i}`}
              data-i={i}
              role="option"
              aria-selected={i === popup.active}
              className={`fb-option${i === popup.active ? ' active' : ''}${f === applied ? ' applied' : ''}`}
              onMouseEnter={() => setPopup({ ...popup, active: i })}
              onClick={() => pickFilter(f)}
            >
              <FbIcon name="history" className="fb-option-icon" />
              <span className="fb-abbrev">{f}</span>
            </div>
          ))}
        </div>
      )}

      {menuOpen && (
        <BookmarkMenu
          current={text}
          currentValid={state === 'valid'}
          owner={bookmarkBtn}
          onPick={(b: Bookmark) => pickFilter(b.filter)}
          onSave={() => setSaving(true)}
          onClose={(refocus) => {
            setMenuOpen(false);
            if (refocus) bookmarkBtn.current?.focus();
          }}
        />
      )}
      {saving && (
        <SaveBookmarkForm
          filter={text.trim()}
          onSave={(name) => {
            saveBookmark(name, text);
            setSaving(false);
            inputRef.current?.focus();
          }}
          onCancel={() => {
            setSaving(false);
            inputRef.current?.focus();
          }}
        />
      )}

      {error && (
        <div id="filter-error" className="filter-error" role="alert">
          {error}
          {applied ? <span className="filter-error-keep"> — still showing “{applied}”</span> : null}
        </div>
      )}
      {!error && warn && !popup && !menuOpen && !saving && (
        <div id="filter-warning" className="filter-warning">
          <FbIcon name="warning" className="filter-warning-icon" />
          <span>{warnings.join(' ')}</span>
        </div>
      )}
    </div>
  );
}
