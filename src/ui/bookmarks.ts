// Display-filter bookmarks: the classroom filters every Wirelens has, plus the user's own (saved in
// localStorage), and the history of recently applied filters.

export interface Bookmark {
  name: string;
  filter: string;
}

/** Filters a networking class reaches for first (each is checked to compile in a unit test). */
export const BUILTIN_BOOKMARKS: readonly Bookmark[] = [
  { name: 'TCP handshake (SYN)', filter: 'tcp.flags.syn == 1' },
  { name: 'SYN/ACK', filter: 'tcp.flags.syn == 1 && tcp.flags.ack == 1' },
  { name: 'Connection resets', filter: 'tcp.flags.reset == 1' },
  { name: 'Connection closes (FIN)', filter: 'tcp.flags.fin == 1' },
  { name: 'Retransmissions', filter: 'tcp.analysis.retransmission' },
  { name: 'Any TCP problem', filter: 'tcp.analysis.flags' },
  { name: 'Zero window', filter: 'tcp.analysis.zero_window' },
  { name: 'IP fragments', filter: 'ip.flags.mf == 1 || ip.frag_offset > 0' },
  { name: 'DNS', filter: 'dns' },
  { name: 'HTTP requests', filter: 'http.request' },
  { name: 'TLS Client Hello', filter: 'tls.handshake.type == 1' },
  { name: 'ARP', filter: 'arp' },
  { name: 'ICMP', filter: 'icmp || icmpv6' },
  { name: 'UDP only', filter: 'udp && !dns' },
];

const LS_SAVED = 'wirelens.filter.bookmarks.v1';
const LS_HISTORY = 'wirelens.filter.history.v1';
/** how many recent filters are remembered */
export const HISTORY_MAX = 30;

function read<T>(key: string, valid: (v: unknown) => v is T): T | null {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    return valid(v) ? v : null;
  } catch {
    return null;
  }
}

function write(key: string, v: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(v));
  } catch {
    /* storage may be unavailable or full */
  }
}

const isBookmarkList = (v: unknown): v is Bookmark[] =>
  Array.isArray(v) && v.every((b) => !!b && typeof (b as Bookmark).name === 'string' && typeof (b as Bookmark).filter === 'string');
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

// A tiny external store (useSyncExternalStore) so every component sees the same lists.
type Listener = () => void;
const listeners = new Set<Listener>();
let saved: readonly Bookmark[] | null = null;
let history: readonly string[] | null = null;

function emit(): void {
  for (const l of listeners) l();
}

export function subscribeFilterLists(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The user's saved filters, in the order they were saved. */
export function savedBookmarks(): readonly Bookmark[] {
  saved ??= read(LS_SAVED, isBookmarkList) ?? [];
  return saved;
}

/** Save a filter under a name (a filter saved before is renamed and moved to the end). */
export function saveBookmark(name: string, filter: string): void {
  const f = filter.trim();
  const n = name.trim() || f;
  if (!f) return;
  saved = [...savedBookmarks().filter((b) => b.filter !== f), { name: n, filter: f }];
  write(LS_SAVED, saved);
  emit();
}

export function removeBookmark(filter: string): void {
  const f = filter.trim();
  saved = savedBookmarks().filter((b) => b.filter !== f);
  write(LS_SAVED, saved);
  emit();
}

/** Recently applied filters, most recent first. */
export function filterHistory(): readonly string[] {
  history ??= read(LS_HISTORY, isStringList) ?? [];
  return history;
}

/** Remember an applied filter (moved to the top when it is already there). */
export function addToHistory(filter: string): void {
  const f = filter.trim();
  if (!f) return;
  const h = filterHistory();
  if (h[0] === f) return;
  history = [f, ...h.filter((x) => x !== f)].slice(0, HISTORY_MAX);
  write(LS_HISTORY, history);
  emit();
}

export function clearHistory(): void {
  history = [];
  write(LS_HISTORY, history);
  emit();
}
