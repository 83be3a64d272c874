// The protocol gate: a frame without any of a filter's protocols gets the filter's answer for an empty
// packet without being dissected. Checked here against dissection, frame by frame, on every capture.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { Capture } from '../../src/core/capture';
import { openSource } from '../../src/cli/source';
import { compileFilter } from '../../src/core/filter';
import type { Item } from '../../src/core/dissect/packet';
import { ProtocolGate, unlayered } from '../../src/core/model/protocol-gate';
import { filterList } from '../../scripts/goldens.mjs';

const root = join(__dirname, '..', '..');
const goldenDir = join(root, 'test', 'fixtures', 'golden');
const caps: { name: string; path: string }[] = JSON.parse(readFileSync(join(goldenDir, 'captures.json'), 'utf8'));
const present = caps.map((c) => ({ ...c, path: isAbsolute(c.path) ? c.path : join(root, c.path) })).filter((c) => existsSync(c.path));
const filters = (filterList(readFileSync(join(goldenDir, 'filters.txt'), 'utf8')) as string[]).concat([
  'http.request.uri contains "a"',
  'not http',
  '!dns && udp',
  'tls.handshake.extensions_server_name',
  'dhcp.option.dhcp == 1 or icmp.type == 8',
  'http.request.method != "GET"',
  'ipv6.nxt == 58 || arp',
]);

function walk(items: readonly Item[], fn: (it: Item) => void): void {
  for (const it of items) {
    fn(it);
    if (it.children) walk(it.children, fn);
  }
}

describe('protocol gate', () => {
  it('gates filters on their protocols, and not those that read frame or marker fields', () => {
    const gate = (t: string) => {
      const r = compileFilter(t);
      if (!r.ok) throw new Error(r.error.message);
      return ProtocolGate.for(r.filter);
    };
    expect(gate('http.request.uri contains "a"')?.absent).toBe(false);
    expect(gate('not http')?.absent).toBe(true);
    expect(gate('frame.len > 100 && http')).toBeNull();
    expect(gate('_ws.malformed')).toBeNull();
    expect(gate('ip.version == 6')).toBeNull(); // IPv6 headers carry it too
    expect(gate('ip.addr#2 == 10.0.0.1')).toBeNull(); // layer operators count protocol instances
  });

  it.each(present.map((c) => [c.name, c.path]))('%s: every field sits in a layer of frame.protocols; gated frames answer as dissected', (_name, path) => {
    const cap = new Capture(openSource(path));
    const outside = new Set<string>();
    cap.load(
      Infinity,
      (pkt) => {
        const layers = new Set(pkt.layers);
        walk(pkt.items, (it) => {
          if (!layers.has(it.f.proto) && !unlayered(it.f)) outside.add(`${it.f.abbrev} in ${pkt.layers.join(':')}`);
        });
      },
      { keep: 'all' },
    );
    expect([...outside].join('\n'), 'fields outside their protocol layer (add them to UNLAYERED_FIELDS)').toBe('');
    const diffs: string[] = [];
    let gated = 0;
    for (const text of filters) {
      const r = compileFilter(text);
      const g = r.ok ? ProtocolGate.for(r.filter) : null;
      if (!r.ok || !g) continue;
      const keep = new Set(r.filter.fields.map((f) => f.id));
      for (let num = 1; num <= cap.count(); num++) {
        if (g.needs(cap, num - 1)) continue;
        gated++;
        const want = r.filter.match(cap.dissect(num, false, keep));
        if (want !== g.absent && diffs.length < 20) diffs.push(`${text} #${num}: dissected ${want}, gate ${g.absent}`);
      }
    }
    expect(diffs).toEqual([]);
    if (cap.count()) expect(gated).toBeGreaterThan(0);
  });
});
