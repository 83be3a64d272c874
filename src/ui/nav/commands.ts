// The navigation commands as menu entries (the Go menu; Edit's find and mark entries) and Wireshark's
// shortcuts for them, which never fire while typing in a text field or inside a dialog or menu.
import type { MenuEntry } from '../Menu';
import { t } from '../i18n';
import { setTimeFormat, useStore } from '../store';
import { timeFormatOfKey } from '../timeFormat';
import { useStats } from '../stats/state';
import { isTextField } from '../classroom/step';
import { openGoto, go, goConversation, openFind, findNext, markDisplayed, toggleSelectedMark, goMark, useNav } from './state';

export function goEntries(): MenuEntry[] {
  const s = useStore.getState();
  const none = !s.displayed;
  const conv = !s.selectedFrame;
  return [
    { label: t('go.toPacket'), shortcut: 'Ctrl+G', disabled: !s.meta, onSelect: openGoto },
    'separator',
    { label: t('go.prev'), shortcut: 'Ctrl+↑', disabled: none, onSelect: () => go('prev') },
    { label: t('go.next'), shortcut: 'Ctrl+↓', disabled: none, onSelect: () => go('next') },
    { label: t('go.first'), shortcut: 'Ctrl+Home', disabled: none, onSelect: () => go('first') },
    { label: t('go.last'), shortcut: 'Ctrl+End', disabled: none, onSelect: () => go('last') },
    'separator',
    { label: t('go.prevConv'), shortcut: 'Ctrl+,', disabled: conv, onSelect: () => goConversation('prev') },
    { label: t('go.nextConv'), shortcut: 'Ctrl+.', disabled: conv, onSelect: () => goConversation('next') },
  ];
}

/** Edit's Find and Mark entries (Wireshark's Edit menu has them between Copy and Preferences). */
export function editNavEntries(): MenuEntry[] {
  const s = useStore.getState();
  const none = !s.meta;
  const marked = useStats.getState().marked;
  const query = !!useNav.getState().findText;
  return [
    { label: t('find.menu'), shortcut: 'Ctrl+F', disabled: none, onSelect: openFind },
    { label: t('find.next'), disabled: none || !query, onSelect: () => findNext('next') },
    { label: t('find.prev'), disabled: none || !query, onSelect: () => findNext('prev') },
    'separator',
    {
      label: marked.has(s.selectedFrame) ? t('mark.unmark') : t('mark.mark'),
      shortcut: 'Ctrl+M',
      disabled: !s.selectedFrame,
      onSelect: toggleSelectedMark,
    },
    { label: t('mark.all'), shortcut: 'Ctrl+Shift+M', disabled: !s.displayed, onSelect: () => markDisplayed(true) },
    { label: t('mark.unmarkAll'), shortcut: 'Ctrl+Alt+M', disabled: !marked.size, onSelect: () => markDisplayed(false) },
    { label: t('mark.next'), shortcut: 'Ctrl+Shift+N', disabled: !marked.size, onSelect: () => goMark('next') },
    { label: t('mark.prev'), shortcut: 'Ctrl+Shift+B', disabled: !marked.size, onSelect: () => goMark('prev') },
  ];
}

/** The command of a key press, by Wireshark's shortcuts; null when it is not one of ours. */
function commandOf(e: KeyboardEvent): (() => void) | null {
  if (!(e.ctrlKey || e.metaKey)) return null;
  const { shiftKey: shift, altKey: alt } = e;
  const code = e.code;
  if (alt && !shift) {
    if (code === 'KeyM') return () => markDisplayed(false);
    // View › Time Display Format
    const fmt = timeFormatOfKey(code);
    return fmt ? () => setTimeFormat(fmt) : null;
  }
  if (alt) return null;
  if (shift) {
    switch (code) {
      case 'KeyM':
        return () => markDisplayed(true);
      case 'KeyN':
        return () => goMark('next');
      case 'KeyB':
        return () => goMark('prev');
      default:
        return null;
    }
  }
  switch (e.key) {
    case 'ArrowDown':
      return () => go('next');
    case 'ArrowUp':
      return () => go('prev');
    case 'Home':
      return () => go('first');
    case 'End':
      return () => go('last');
    case '.':
      return () => goConversation('next');
    case ',':
      return () => goConversation('prev');
  }
  switch (code) {
    case 'KeyG':
      return openGoto;
    case 'KeyF':
      return openFind;
    case 'KeyM':
      return toggleSelectedMark;
    default:
      return null;
  }
}

/** A window keydown listener (capture phase, so the panes' own arrow keys do not move twice). */
export function onNavKey(e: KeyboardEvent): void {
  if (e.defaultPrevented) return;
  const target = (e.target instanceof Element ? e.target : null) ?? document.activeElement;
  if (isTextField(target) || target?.closest('[role="dialog"], [role="menu"]')) return;
  const cmd = commandOf(e);
  if (!cmd || !useStore.getState().meta) return;
  e.preventDefault();
  e.stopPropagation();
  cmd();
}
