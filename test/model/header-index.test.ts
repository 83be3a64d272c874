// The header index agrees with full dissection: on every fixture, each indexed field of each plain frame has
// the values the dissectors give, and filters answered from the index select the frames the dissected
// packets match.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { openSource } from '../../src/cli/source';
import { compileFilter } from '../../src/core/filter';
import { getField } from '../../src/core/fields/registry';
import type { Item, Packet } from '../../src/core/dissect/packet';
import { F_COMPLEX } from '../../src/core/model/header-index';
import { INDEXED_FIELDS, IndexMatcher, indexedValues } from '../../src/core/model/index-filter';
import { filterList } from '../../scripts/goldens.mjs';

const root = join(__dirname, '..', '..');
const goldenDir = join(root, 'test', 'fixtures', 'golden');
const caps: { name: string; path: string }[] = JSON.parse(readFileSync(join(goldenDir, 'captures.json'), 'utf8'));
const filters = (filterList(readFileSync(join(goldenDir, 'filters.txt'), 'utf8')) as string[]).concat([
  'tcp.port == 11699',
  'ip.addr == 10.0.0.0/8 && tcp.flags.syn == 1',
  'tcp.stream eq 1',
  'udp.stream == 0 || tcp.len > 100',
  'ipv6.addr == ::1',
  'frame.len > 1000 and not tcp',
  'tcp.flags == 0x012',
  'ip.src != 127.0.0.1',
  'tcp.port in {80 443 8000..9000}',
  // the typed-array plans: any/all semantics of two-valued fields, sets, subnets, negation, existence
  'tcp.port != 11699',
  'ip.addr != 127.0.0.1',
  'ip.addr ~= 127.0.0.1',
  'tcp.port in {11699, 53}',
  'ip.addr in {10.0.0.0/8 127.0.0.0/8}',
  '!(tcp.flags.syn == 1) && tcp',
  'tcp.srcport > 1024 && tcp.dstport < 1024',
  'ip.version == 6 || ipv6.addr == ::1/128',
  'all tcp.port == 11699',
  'any udp.port > 1000',
  'tcp.flags.syn == True and tcp.flags.ack == 0',
  'udp.port in {53..60000} or icmp',
  'tcp.window_size_value ~= 0',
  'frame.len in {60 1514} and not udp',
  'tcp.len >= 1 && tcp.stream in {0 2}',
]);

function values(items: readonly Item[], id: number, pkt: Packet, out: string[] = []): string[] {
  for (const it of items) {
    if (it.f.id === id) {
      if (it.f.type === 'protocol') out.push('present');
      else {
        const v = it.v ?? pkt.sources[it.src]!.bytes.subarray(it.start, it.start + it.len);
        out.push(v instanceof Uint8Array ? Array.from(v).join('.') : String(v));
      }
    }
    if (it.children) values(it.children, id, pkt, out);
  }
  return out;
}

const show = (vs: (number | Uint8Array)[], f: string): string[] =>
  vs.map((v) => (getField(f)!.type === 'protocol' ? 'present' : v instanceof Uint8Array ? Array.from(v).join('.') : String(v)));

const present = caps.filter((c) => existsSync(join(root, c.path)));

describe('header index', () => {
  it.each(present.map((c) => [c.name, c.path]))('%s: indexed values equal dissected values', (_name, path) => {
    const cap = new Capture(openSource(join(root, path)));
    cap.index();
    cap.analyse();
    const view = cap.indexView();
    const ids = INDEXED_FIELDS.map((f) => getField(f)!);
    expect(ids.every(Boolean)).toBe(true);
    const diffs: string[] = [];
    let plain = 0;
    for (let num = 1; num <= cap.count(); num++) {
      if (cap.hdr.kind[num - 1]! & F_COMPLEX) continue;
      plain++;
      const pkt = cap.dissect(num, false, new Set(ids.map((f) => f.id)));
      for (const f of ids) {
        const want = values(pkt.items, f.id, pkt).sort();
        const got = show(indexedValues(view, f.abbrev, num - 1)!, f.abbrev).sort();
        if (want.join() !== got.join() && diffs.length < 20) diffs.push(`#${num} ${f.abbrev}: dissected ${want.join()} index ${got.join()}`);
      }
    }
    expect(diffs).toEqual([]);
    // the plain frames are most frames of ordinary captures (kept honest by a floor in the next test)
    expect(plain).toBeGreaterThanOrEqual(0);
  });

  it.each(present.map((c) => [c.name, c.path]))('%s: filters from the index select what dissection selects', (_name, path) => {
    const cap = new Capture(openSource(join(root, path)));
    cap.index();
    cap.analyse();
    const view = cap.indexView();
    const diffs: string[] = [];
    const compiled = filters.flatMap((text) => {
      const r = compileFilter(text);
      const m = r.ok ? IndexMatcher.for(r.filter) : null;
      return r.ok && m ? [{ text, f: r.filter, m }] : [];
    });
    expect(compiled.length).toBeGreaterThan(30);
    // most of them run as typed-array plans (the fast path), not on stand-in packets
    expect(compiled.filter((c) => c.m.planned).length).toBeGreaterThan(30);
    const keep = new Set(compiled.flatMap((c) => c.f.fields.map((f) => f.id)));
    // the chunk tests (masks over whole typed arrays) too, in chunks that do not start at 0
    const masks = compiled.map((c) => {
      const out = new Uint8Array(cap.count());
      for (let from = 0; from < cap.count(); from += 1000) c.m.matchChunk(view, from, Math.min(cap.count(), from + 1000), out.subarray(from));
      return out;
    });
    for (let num = 1; num <= cap.count(); num++) {
      if (cap.hdr.kind[num - 1]! & F_COMPLEX) continue;
      const pkt = cap.dissect(num, false, keep);
      compiled.forEach((c, ci) => {
        const want = c.f.match(pkt);
        const got = c.m.match(view, num - 1);
        if (want !== got && diffs.length < 20) diffs.push(`${c.text} #${num}: dissected ${want} index ${got}`);
        const chunk = masks[ci]![num - 1] === 1;
        if (want !== chunk && diffs.length < 20) diffs.push(`${c.text} #${num}: dissected ${want} chunk ${chunk}`);
      });
    }
    expect(diffs).toEqual([]);
  });

  it('indexes the plain frames of a plain capture', () => {
    const cap = new Capture(openSource(join(root, 'test/fixtures/captures/05_http_download_2mb_netns.pcap')));
    cap.index();
    let plain = 0;
    for (let i = 0; i < cap.count(); i++) if (!(cap.hdr.kind[i]! & F_COMPLEX)) plain++;
    expect(cap.count()).toBe(2490);
    expect(plain).toBe(2490);
  });
});
