// Explanations of tree items in both languages: the right catalogue text per field, the packet's own values
// filled in (calculated window, port class, flag state, checksum status), and every explanation key the
// code can ask for exists in both catalogues.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import en from '../../src/ui/i18n/locales/en.json';
import ja from '../../src/ui/i18n/locales/ja.json';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { serializeTree } from '../../src/worker/session';
import { keyTree, type KeyedNode } from '../../src/ui/tree';
import { explain, explanationKey, labelValue } from '../../src/ui/classroom/explain';

const i18n = i18next.createInstance();
await i18n.init({ resources: { en: { translation: en }, ja: { translation: ja } }, lng: 'en', keySeparator: false, nsSeparator: false, interpolation: { escapeValue: false } });
const exists = (k: string) => i18n.exists(k);

const cap = new Capture(new MemorySource(new Uint8Array(readFileSync(join(__dirname, '../../public/samples/http-get.pcap')))));
cap.load();
const tree = (frame: number) => keyTree(serializeTree(cap.dissect(frame, true).items));
function find(roots: KeyedNode[], abbrev: string): KeyedNode {
  const walk = (list: KeyedNode[]): KeyedNode | null => {
    for (const k of list) {
      if (k.node.abbrev === abbrev) return k;
      const f = walk(k.children);
      if (f) return f;
    }
    return null;
  };
  const k = walk(roots);
  if (!k) throw new Error(`no ${abbrev}`);
  return k;
}
const text = (frame: number, abbrev: string, lng = 'en') => explain(find(tree(frame), abbrev), i18n.getFixedT(lng), exists)?.paragraphs.join(' | ');

describe('explanations', () => {
  it('SYN flag, in English and Japanese, with its state in this segment', () => {
    expect(text(1, 'tcp.flags.syn')).toMatch(/^SYN \(Synchronize\): a request to open a connection.* \| In this segment: set \(1\)\.$/);
    expect(text(1, 'tcp.flags.syn', 'ja')).toMatch(/^SYN \(Synchronize、同期\): 接続の開始を要求します。.*このセグメントでは: セット \(1\)。$/);
    expect(text(1, 'tcp.flags.fin')).toMatch(/not set \(0\)\.$/);
  });

  it("the SYN's sequence number and the SYN/ACK's acknowledgment (ISN + 1)", () => {
    expect(text(1, 'tcp.seq')).toMatch(/initial sequence number \(ISN\)/);
    expect(text(2, 'tcp.ack')).toMatch(/ISN \+ 1/);
    expect(text(4, 'tcp.ack')).toMatch(/^Acknowledgment number: the next byte/);
  });

  it('calculated window = value × 2^scale with the packet’s numbers (frame 4: 64 × 1024)', () => {
    expect(text(4, 'tcp.window_size')).toContain('= 64 × 1024 = 65536 bytes');
    expect(text(4, 'tcp.window_size', 'ja')).toContain('= 64 × 1024 = 65536 バイト');
    // the SYN has no agreed scale yet: the general explanation
    expect(text(1, 'tcp.window_size')).toMatch(/^Calculated window size = window value × 2\^scale\./);
  });

  it('ports: the class of this port number', () => {
    expect(text(1, 'tcp.srcport')).toContain('43874 is in the range Linux uses for ephemeral client ports');
    expect(text(1, 'tcp.dstport')).toContain('11699 is a registered port');
  });

  it('checksum status and IP fields', () => {
    expect(text(1, 'tcp.checksum.status')).toContain('Here: Unverified');
    expect(text(1, 'ip.ttl')).toMatch(/^Time to live \(TTL\)/);
    expect(text(1, 'ip.flags.df')).toMatch(/Don't fragment/);
    expect(text(1, 'ip.proto')).toContain('6 = TCP, 17 = UDP, 1 = ICMP');
  });

  it('the HTTP request and status lines are explained although they are text items', () => {
    const req = tree(4).find((k) => k.node.abbrev === 'http')!.children.find((k) => explanationKey(k) === 'http.request.line');
    expect(req).toBeDefined();
    expect(explain(req!, i18n.getFixedT('en'), exists)!.paragraphs[0]).toMatch(/^Request line/);
    const resp = tree(8).find((k) => k.node.abbrev === 'http')!.children.find((k) => explanationKey(k) === 'http.response.line');
    expect(resp).toBeDefined();
    expect(text(8, 'http.response.code')).toMatch(/2xx success/);
  });

  it('labelValue', () => {
    expect(labelValue('Source Port: 43874')).toBe('43874');
    expect(labelValue('.... .... ..1. = Syn: Set')).toBe('Set');
    expect(labelValue('Frame 1')).toBe('');
  });

  it('every key the explanations build exists in both catalogues', () => {
    const derived = ['explain.port', 'explain.port.wellKnown', 'explain.port.registered', 'explain.port.linuxEphemeral', 'explain.port.ephemeral', 'explain.checksumStatus', 'explain.checksumStatus.good', 'explain.checksumStatus.bad', 'explain.checksumStatus.unverified', 'explain.flagSet', 'explain.flagNotSet', 'explain.tcp.seq.syn', 'explain.tcp.ack.synack', 'explain.tcp.ack.syn', 'explain.tcp.window_size.calc', 'explain.tcp.stream', 'explain.udp.stream', 'explain.http.request.line', 'explain.http.response.line', 'explain.dns.queries', 'explain.dns.answers'];
    for (const k of derived) {
      expect(k in en, k).toBe(true);
      expect(k in ja, k).toBe(true);
    }
    for (const kind of ['handshake', 'refused', 'teardown', 'reset', 'retransmission', 'fragmentation']) {
      expect(`episode.${kind}` in ja && `episode.${kind}.about` in ja).toBe(true);
    }
  });
});
