// Field-name lookup for filters: the registry, plus the protocol aliases Wireshark 4.0 still accepts
// ("ssl" for "tls", "bootp" for "dhcp"), which resolve with a deprecation warning.
import { getField, type FieldDef } from '../fields/registry';

const ALIASES: Readonly<Record<string, string>> = { ssl: 'tls', bootp: 'dhcp' };

/** Deprecated names resolved during the current compile, for warnings. */
let aliasHits: Set<string> | null = null;

export function lookupField(name: string): FieldDef | undefined {
  const f = getField(name);
  if (f) return f;
  const dot = name.indexOf('.');
  const proto = dot < 0 ? name : name.slice(0, dot);
  const to = ALIASES[proto];
  if (!to) return undefined;
  const g = getField(to + (dot < 0 ? '' : name.slice(dot)));
  if (g && aliasHits) aliasHits.add(proto);
  return g;
}

/** Run `fn` collecting the deprecation warnings of the aliases it resolves. */
export function withAliasWarnings<T>(fn: () => T): { value: T; warnings: string[] } {
  const prev = aliasHits;
  aliasHits = new Set();
  try {
    const value = fn();
    // Wireshark 4.0's filter bar words an alias warning this way (sharkd only says "deprecated tokens")
    const warnings = [...aliasHits].map((a) => `"${a}" is deprecated in favour of "${ALIASES[a]}".`);
    return { value, warnings };
  } finally {
    aliasHits = prev;
  }
}
