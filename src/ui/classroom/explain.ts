// Plain-language explanations of protocol-tree items, from the catalogues ("explain.<abbrev>"), with the
// packet's own values filled in where that helps (the calculated window, which port class, the flag's
// state, the checksum status). Pure: a KeyedNode and a `t` in, paragraphs out.
import type { TFunction } from 'i18next';
import type { KeyedNode } from '../tree';

export interface Explanation {
  /** the catalogue key of the main text */
  key: string;
  /** paragraphs, the first one being the explanation proper */
  paragraphs: string[];
}

/** The value part of a tree label: "Source Port: 43874" → "43874"; "..1. = Syn: Set" → "Set". */
export function labelValue(label: string): string {
  const i = label.indexOf(': ');
  return i < 0 ? '' : label.slice(i + 2).trim();
}

const firstNumber = (s: string): number | null => {
  const m = /-?\d+/.exec(s);
  return m ? Number(m[0]) : null;
};

/** The item's siblings' label by abbrev (fields of the same protocol layer). */
function sibling(k: KeyedNode, abbrev: string): KeyedNode | null {
  const list = k.parent ? k.parent.children : [];
  return list.find((x) => x.node.abbrev === abbrev) ?? null;
}

/** The top-level layer (protocol root) an item belongs to. */
function layerOf(k: KeyedNode): KeyedNode {
  let c = k;
  while (c.parent) c = c.parent;
  return c;
}

function find(k: KeyedNode, abbrev: string): KeyedNode | null {
  if (k.node.abbrev === abbrev) return k;
  for (const c of k.children) {
    const f = find(c, abbrev);
    if (f) return f;
  }
  return null;
}

/** TCP flag bits of the segment an item belongs to (from the Flags item's label "Flags: 0x012 (SYN, ACK)"). */
function tcpFlags(k: KeyedNode): number | null {
  const f = find(layerOf(k), 'tcp.flags');
  if (!f) return null;
  const m = /0x([0-9a-f]+)/i.exec(f.node.label);
  return m ? parseInt(m[1]!, 16) : null;
}

/** The catalogue key for an item: its abbrev, or a derived one for text items (HTTP lines, DNS sections). */
export function explanationKey(k: KeyedNode): string | null {
  const a = k.node.abbrev;
  if (a === '_ws.text') {
    const kids = k.children.map((c) => c.node.abbrev);
    if (kids.includes('http.request.method')) return 'http.request.line';
    if (kids.includes('http.response.code') || kids.includes('http.response.version')) return 'http.response.line';
    const top = layerOf(k).node.abbrev;
    if (top === 'dns' && k.level === 2) {
      if (/^Queries/.test(k.node.label)) return 'dns.queries';
      if (/^Answers/.test(k.node.label)) return 'dns.answers';
    }
    return null;
  }
  if (!a || a.startsWith('_ws.')) return null;
  return a;
}

const PORT_FIELDS = new Set(['tcp.srcport', 'tcp.dstport', 'udp.srcport', 'udp.dstport', 'tcp.port', 'udp.port']);
const FLAG_FIELDS = /^tcp\.flags\.(syn|ack|fin|reset|push|urg|ece|cwr|ae)$/;

function portClass(port: number, t: TFunction): string {
  if (port < 1024) return t('explain.port.wellKnown', { port });
  if (port >= 49152) return t('explain.port.ephemeral', { port });
  if (port >= 32768 && port <= 60999) return t('explain.port.linuxEphemeral', { port });
  return t('explain.port.registered', { port });
}

/** The explanation of an item, or null when the catalogues have none. */
export function explain(k: KeyedNode, t: TFunction, exists: (key: string) => boolean): Explanation | null {
  const key = explanationKey(k);
  if (!key) return null;
  const a = k.node.abbrev;
  const value = labelValue(k.node.label);
  const out = (mainKey: string, extra: string[] = [], vars: Record<string, unknown> = {}): Explanation => ({
    key: mainKey,
    paragraphs: [t(mainKey, vars), ...extra],
  });

  if (PORT_FIELDS.has(a)) {
    const port = firstNumber(value);
    const own = `explain.${a}`;
    const paras = [exists(own) ? t(own) : '', t('explain.port')].filter(Boolean);
    if (port !== null) paras.push(portClass(port, t));
    return { key: exists(own) ? own : 'explain.port', paragraphs: paras };
  }

  if (a.endsWith('.checksum.status')) {
    const v = value.toLowerCase();
    const state = v.startsWith('good') ? 'good' : v.startsWith('bad') ? 'bad' : v.startsWith('unverified') ? 'unverified' : null;
    return out('explain.checksumStatus', state ? [t(`explain.checksumStatus.${state}`)] : []);
  }

  if (FLAG_FIELDS.test(a) && exists(`explain.${a}`)) {
    const set = /:\s*Set\b/.test(k.node.label);
    return out(`explain.${a}`, [t(set ? 'explain.flagSet' : 'explain.flagNotSet')]);
  }

  if (a === 'tcp.seq') {
    const f = tcpFlags(k);
    if (f !== null && f & 0x002) return out('explain.tcp.seq.syn');
  }

  if (a === 'tcp.ack') {
    const f = tcpFlags(k);
    if (f !== null && f & 0x002 && f & 0x010) return out('explain.tcp.ack.synack');
    if (f !== null && f & 0x002) return out('explain.tcp.ack.syn');
  }

  if (a === 'tcp.window_size') {
    const calc = firstNumber(value);
    const raw = sibling(k, 'tcp.window_size_value');
    const factor = sibling(k, 'tcp.window_size_scalefactor');
    const rv = raw ? firstNumber(labelValue(raw.node.label)) : null;
    const fv = factor ? firstNumber(labelValue(factor.node.label)) : null;
    if (calc !== null && rv !== null && fv !== null && fv > 0) return out('explain.tcp.window_size.calc', [], { value: rv, factor: fv, calc });
  }

  if (a === 'tcp.stream' || a === 'udp.stream') {
    const n = firstNumber(value);
    return out(`explain.${a}`, [], { value: n ?? 'N' });
  }

  const main = `explain.${key}`;
  if (!exists(main)) return null;
  return out(main);
}

/** The explanation as one tooltip text. */
export function explanationText(e: Explanation | null): string {
  return e ? e.paragraphs.join('\n') : '';
}
