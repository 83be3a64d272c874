// The analysis commands (Follow, Conversations, Sequence diagram) as menu entries and shortcuts, enabled
// by what the selected packet contains.
import type { MenuEntry } from './Menu';
import { t } from './i18n';
import { useStore, openFollow, setConversationsOpen, setDiagramOpen, requestLadder, selectedLayers, type State } from './store';

export const SHORTCUT_FOLLOW_TCP = 'Ctrl+Alt+Shift+T';
export const SHORTCUT_FOLLOW_UDP = 'Ctrl+Alt+Shift+U';

export function canFollow(kind: 'tcp' | 'udp', s: State = useStore.getState()): boolean {
  return selectedLayers(s).includes(kind);
}

export function hasConversation(s: State = useStore.getState()): boolean {
  const l = selectedLayers(s);
  return l.includes('tcp') || l.includes('udp') || l.includes('icmp') || l.includes('icmpv6');
}

export function analysisEntries(s: State = useStore.getState(), opts: { context?: boolean } = {}): MenuEntry[] {
  const entries: MenuEntry[] = [
    { label: t('menu.followTcp'), shortcut: SHORTCUT_FOLLOW_TCP, icon: 'follow', disabled: !canFollow('tcp', s), onSelect: () => openFollow('tcp') },
    { label: t('menu.followUdp'), shortcut: SHORTCUT_FOLLOW_UDP, disabled: !canFollow('udp', s), onSelect: () => openFollow('udp') },
    'separator',
    {
      label: opts.context ? t('menu.showInDiagram') : t('menu.diagram'),
      icon: 'ladder',
      disabled: !s.meta || (opts.context && !hasConversation(s)),
      onSelect: () => {
        if (useStore.getState().diagramOpen && opts.context) requestLadder({ frame: useStore.getState().selectedFrame });
        else setDiagramOpen(true);
      },
    },
    { label: t('menu.conversations'), icon: 'conversations', disabled: !s.meta, onSelect: () => setConversationsOpen(true) },
  ];
  return entries;
}

/** Wireshark's shortcuts for Follow: Ctrl+Alt+Shift+T (TCP), Ctrl+Alt+Shift+U (UDP). Returns true if handled. */
export function followShortcut(e: KeyboardEvent): boolean {
  const mod = e.ctrlKey || e.metaKey;
  if (!mod || !e.altKey || !e.shiftKey) return false;
  const kind = e.code === 'KeyT' ? 'tcp' : e.code === 'KeyU' ? 'udp' : null;
  if (!kind) return false;
  e.preventDefault();
  const s = useStore.getState();
  if (canFollow(kind, s)) openFollow(kind);
  else if (s.selectedFrame && s.packet?.frame !== s.selectedFrame) followWhenDissected(kind, s.selectedFrame);
  return true;
}

/** The shortcut pressed just after a click, before the packet's tree came back: follow once it arrives
 * (if the selection has not moved on meanwhile). */
function followWhenDissected(kind: 'tcp' | 'udp', frame: number): void {
  const stop = useStore.subscribe((st) => {
    if (st.selectedFrame !== frame) return stop();
    if (st.packet?.frame !== frame) return;
    stop();
    if (canFollow(kind, st)) openFollow(kind);
  });
}
