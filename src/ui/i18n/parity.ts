// Catalogue checks shared by the parity test: same keys (plural forms folded), same placeholders.

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** The {{name}} placeholders of a message, sorted (formats such as {{n, number}} count by name). */
export function placeholders(s: string): string[] {
  const out = new Set<string>();
  for (const m of s.matchAll(/\{\{\s*([^}\s,]+)[^}]*\}\}/g)) out.add(m[1]!);
  return [...out].sort();
}

function fold(cat: Record<string, string>): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const [k, v] of Object.entries(cat)) {
    const base = k.replace(PLURAL, '');
    const ph = new Set([...(m.get(base) ?? []), ...placeholders(v)]);
    m.set(base, [...ph].sort());
  }
  return m;
}

/** Differences between catalogues, as readable lines (empty when they agree). */
export function compareCatalogues(cats: Record<string, Record<string, string>>): string[] {
  const langs = Object.keys(cats);
  const folded = new Map(langs.map((l) => [l, fold(cats[l]!)]));
  const all = new Set<string>();
  for (const f of folded.values()) for (const k of f.keys()) all.add(k);
  const out: string[] = [];
  for (const k of [...all].sort()) {
    const present = langs.filter((l) => folded.get(l)!.has(k));
    for (const l of langs) if (!present.includes(l)) out.push(`${l} lacks "${k}"`);
    if (present.length < 2) continue;
    const sig = present.map((l) => folded.get(l)!.get(k)!.join(','));
    if (new Set(sig).size > 1) out.push(`"${k}": placeholders differ (${present.map((l, i) => `${l}: ${sig[i]}`).join('; ')})`);
  }
  return out;
}
