// The Go to Packet and Find Packet bars under the filter bar (as Wireshark shows them above the packet list),
// the short navigation note, the Coloring Rules legend, and the navigation shortcuts.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../i18n';
import { Icon } from '../icons';
import { useStore, workerClient } from '../store';
import { parseHex } from '../../core/find';
import type { FilterCheck, Response } from '../../worker/protocol';
import { onNavKey } from './commands';
import { ColoringLegend } from './ColoringLegend';
import {
  useNav,
  goToPacket,
  closeGoto,
  closeFind,
  findNext,
  cancelSearch,
  setFindQuery,
  type FindKind,
} from './state';
import type { FindScope } from '../../worker/protocol';
import './nav.css';

export function NavBars() {
  const gotoOpen = useNav((s) => s.gotoOpen);
  const findOpen = useNav((s) => s.findOpen);
  const legendOpen = useNav((s) => s.legendOpen);
  useEffect(() => {
    window.addEventListener('keydown', onNavKey, true);
    return () => window.removeEventListener('keydown', onNavKey, true);
  }, []);
  return (
    <>
      {gotoOpen && <GotoBar />}
      {findOpen && <FindBar />}
      <NavNote />
      {legendOpen && <ColoringLegend />}
    </>
  );
}

/** Keys every bar's text field handles: Esc closes the bar. */
function escCloses(e: KeyboardEvent, close: () => void): boolean {
  if (e.key !== 'Escape') return false;
  e.preventDefault();
  e.stopPropagation();
  close();
  return true;
}

function GotoBar() {
  const t = useT();
  const error = useNav((s) => s.gotoError);
  const frames = useStore((s) => s.frames);
  const [text, setText] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  return (
    <div className="navbar" role="search" aria-label={t('goto.bar')}>
      <label className="navbar-label" htmlFor="goto-number">
        {t('goto.label')}
      </label>
      <span className={`filterbar nav-field goto-field${error ? ' invalid' : ''}`}>
        <input
          id="goto-number"
          ref={input}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          placeholder={frames ? `1–${frames}` : ''}
          aria-invalid={!!error}
          aria-describedby={error ? 'goto-error' : undefined}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (error) useNav.setState({ gotoError: null });
          }}
          onKeyDown={(e) => {
            if (escCloses(e, closeGoto)) return;
            if (e.key === 'Enter') {
              e.preventDefault();
              goToPacket(text);
            } else if ((e.ctrlKey || e.metaKey) && e.code === 'KeyG') {
              e.preventDefault();
              input.current?.select();
            }
          }}
        />
      </span>
      <button type="button" className="btn" onClick={() => goToPacket(text)}>
        {t('goto.go')}
      </button>
      {error && (
        <span id="goto-error" className="navbar-msg bad" role="alert">
          {error}
        </span>
      )}
      <span className="dialog-spacer" />
      <button type="button" className="tb-btn icon-only small" aria-label={t('goto.close')} title={t('goto.close')} onClick={closeGoto}>
        <Icon name="clear" />
      </button>
    </div>
  );
}

/** The display filter of the find bar checked as it is typed (the filter bar's checks, by our own request ids). */
function useFilterCheck(text: string, on: boolean): FilterCheck | null {
  const [check, setCheck] = useState<{ text: string; result: FilterCheck } | null>(null);
  useEffect(() => {
    if (!on || !text.trim()) return;
    const c = workerClient();
    let id = 0;
    const off = c.on((m: Response) => {
      if (m.type === 'checked' && m.id === id) setCheck({ text: m.text, result: m.result });
    });
    const timer = setTimeout(() => (id = c.send({ type: 'check', text })), 120);
    return () => {
      clearTimeout(timer);
      off();
    };
  }, [text, on]);
  return on && check?.text === text ? check.result : null;
}

const KINDS: FindKind[] = ['filter', 'hex', 'string'];
const SCOPES: FindScope[] = ['list', 'details', 'bytes'];

function FindBar() {
  const t = useT();
  const n = useNav();
  const hasCapture = useStore((s) => s.meta !== null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [n.findFocus]);

  // the field's colour and message: the worker's answer on Find, else a check as one types
  const check = useFilterCheck(n.findText, n.findKind === 'filter');
  let problem = n.invalid;
  if (!problem && n.findText.trim()) {
    if (n.findKind === 'hex') {
      const h = parseHex(n.findText);
      if (!h.ok) problem = h;
    } else if (check && !check.ok) problem = check;
  }
  const valid = !problem && !!n.findText.trim() && (n.findKind !== 'filter' || !!check?.ok);
  const placeholder = t(`find.placeholder.${n.findKind}`);

  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (escCloses(e, closeFind)) return;
    if (e.key === 'Enter') {
      e.preventDefault();
      findNext(e.shiftKey ? 'prev' : 'next');
    } else if ((e.ctrlKey || e.metaKey) && e.code === 'KeyF') {
      e.preventDefault();
      input.current?.select();
    }
  };

  return (
    <div className="navbar find-bar" role="search" aria-label={t('find.bar')}>
      <span className="navbar-label" id="find-label">
        {t('find.label')}
      </span>
      <select
        className="nav-select"
        aria-label={t('find.by')}
        value={n.findKind}
        onChange={(e) => {
          setFindQuery({ findKind: e.target.value as FindKind });
          input.current?.focus();
        }}
      >
        {KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`find.kind.${k}`)}
          </option>
        ))}
      </select>
      {n.findKind === 'string' && (
        <>
          <select className="nav-select" aria-label={t('find.in')} value={n.findScope} onChange={(e) => setFindQuery({ findScope: e.target.value as FindScope })}>
            {SCOPES.map((k) => (
              <option key={k} value={k}>
                {t(`find.scope.${k}`)}
              </option>
            ))}
          </select>
          <label className="nav-check">
            <input type="checkbox" checked={n.caseSensitive} onChange={(e) => setFindQuery({ caseSensitive: e.target.checked })} />
            {t('find.case')}
          </label>
        </>
      )}
      <span className={`filterbar nav-field find-field${problem ? ' invalid' : valid ? ' valid' : ''}`}>
        <input
          ref={input}
          type="text"
          autoComplete="off"
          spellCheck={false}
          aria-label={t('find.field')}
          aria-invalid={!!problem}
          aria-describedby={problem ? 'find-problem' : 'find-note'}
          placeholder={placeholder}
          value={n.findText}
          onChange={(e) => setFindQuery({ findText: e.target.value })}
          onKeyDown={onKey}
        />
      </span>
      <button type="button" className="btn primary" disabled={!hasCapture || !n.findText} onClick={() => findNext('next')} title={t('find.findTitle')}>
        {t('find.find')}
      </button>
      <button type="button" className="btn" disabled={!hasCapture || !n.findText} onClick={() => findNext('prev')} title={t('find.prevTitle')}>
        {t('find.previous')}
      </button>
      {n.searching !== null && (
        <span className="navbar-msg">
          {t('find.searching', { pct: Math.round(n.searching * 100) })}
          <button type="button" className="btn ghost" onClick={cancelSearch}>
            {t('find.cancel')}
          </button>
        </span>
      )}
      {problem ? (
        <span id="find-problem" className="navbar-msg bad" role="alert">
          {problem.message}
        </span>
      ) : (
        <span id="find-note" className={`navbar-msg${n.findNote?.kind === 'none' ? ' bad' : n.findNote?.kind === 'wrapped' ? ' warn' : ''}`} aria-live="polite">
          {n.findNote?.text ?? ''}
        </span>
      )}
      <span className="dialog-spacer" />
      <button type="button" className="tb-btn icon-only small" aria-label={t('find.close')} title={t('find.close')} onClick={closeFind}>
        <Icon name="clear" />
      </button>
    </div>
  );
}

/** A note after a Go or mark command, for a few seconds. */
function NavNote() {
  const note = useNav((s) => s.note);
  useEffect(() => {
    if (!note) return;
    const id = setTimeout(() => useNav.setState((s) => (s.note === note ? { note: null } : {})), 4000);
    return () => clearTimeout(id);
  }, [note]);
  return (
    <div className={`nav-note${note ? ' shown' : ''}`} aria-live="polite">
      {note?.text ?? ''}
    </div>
  );
}
