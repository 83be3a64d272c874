// Reading values out of a dissected packet's items, for the tcpdump view (which prints header values, not labels).
import type { Item } from '../dissect/packet';

/** A protocol layer (`ip`, `tcp`, `dns`…), as opposed to a protocol-typed subtree such as `tcp.options.mss`. */
export function isLayer(it: Item): boolean {
  return it.f.type === 'protocol' && !it.f.abbrev.includes('.');
}

/** The first item named `abbrev` below `it`, depth first, without entering nested layers (an ICMP error's IP). */
export function get(it: Item, abbrev: string): Item | undefined {
  if (!it.children) return undefined;
  for (const c of it.children) {
    if (c.f.abbrev === abbrev) return c;
    if (c.children && !isLayer(c)) {
      const r = get(c, abbrev);
      if (r) return r;
    }
  }
  return undefined;
}

/** Every item named `abbrev` below `it`, in tree order (not inside nested layers). */
export function all(it: Item, abbrev: string, out: Item[] = []): Item[] {
  for (const c of it.children ?? []) {
    if (c.f.abbrev === abbrev) out.push(c);
    if (c.children && !isLayer(c)) all(c, abbrev, out);
  }
  return out;
}

export function num(it: Item | undefined, abbrev: string): number | undefined {
  const v = it && get(it, abbrev)?.v;
  return typeof v === 'number' ? v : undefined;
}

export function bytes(it: Item | undefined, abbrev: string): Uint8Array | undefined {
  const v = it && get(it, abbrev)?.v;
  return v instanceof Uint8Array ? v : undefined;
}

export function str(it: Item | undefined, abbrev: string): string | undefined {
  const v = it && get(it, abbrev)?.v;
  return typeof v === 'string' ? v : undefined;
}

/** The nested layer named `abbrev` directly under `it` (the IP header an ICMP error quotes). */
export function sublayer(it: Item, abbrev: string): Item | undefined {
  return it.children?.find((c) => c.f.abbrev === abbrev && isLayer(c));
}
