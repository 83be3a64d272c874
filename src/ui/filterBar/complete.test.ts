// Autocomplete over the real field list (as the worker sends it).
import { describe, expect, it } from 'vitest';
import { fieldInfos } from '../../worker/session';
import { applyCompletion, completionsAt, FieldIndex, valueLiteral } from './complete';

const index = new FieldIndex(fieldInfos());
const at = (text: string, caret = text.length) => completionsAt(text, caret, index);
const labels = (text: string, caret?: number) => at(text, caret)?.items.map((c) => c.label) ?? [];

describe('field and protocol names', () => {
  it('after "tcp." offers tcp\'s fields, direct children first, with name and type', () => {
    const l = at('tcp.')!;
    expect(l.items.length).toBeGreaterThan(20);
    expect(l.items.every((c) => c.label.startsWith('tcp.'))).toBe(true);
    const port = l.items.find((c) => c.label === 'tcp.port')!;
    expect(port).toMatchObject({ kind: 'field', name: 'Source or Destination Port', type: 'Unsigned integer (2 bytes)' });
    const depth = (s: string) => s.split('.').length;
    const firstDeep = l.items.findIndex((c) => depth(c.label) > 2);
    expect(l.items.slice(firstDeep).every((c) => depth(c.label) > 2)).toBe(true);
    expect(l.total).toBe(fieldInfos().filter((f) => f.abbrev.startsWith('tcp.')).length);
  });

  it('a protocol prefix lists protocols before their fields, case-insensitively', () => {
    expect(labels('ip').slice(0, 2)).toEqual(['ip', 'ipv6']);
    expect(labels('IP').slice(0, 2)).toEqual(['ip', 'ipv6']);
    expect(labels('tcp.flags.s')).toContain('tcp.flags.syn');
  });

  it('completes the token under the caret inside a longer filter', () => {
    const text = 'ip.src == 10.0.0.1 && tcp.fl == 1';
    const caret = text.indexOf('tcp.fl') + 'tcp.fl'.length;
    const l = at(text, caret)!;
    const syn = l.items.find((c) => c.label === 'tcp.flags.syn')!;
    expect(applyCompletion(text, l, syn)).toEqual({ text: 'ip.src == 10.0.0.1 && tcp.flags.syn == 1', caret: caret - 6 + 13 });
  });

  it('a name typed from one of its words', () => {
    expect(labels('srcport')).toEqual(expect.arrayContaining(['tcp.srcport', 'udp.srcport']));
    expect(labels('retransmission')).toContain('tcp.analysis.retransmission');
    // not from inside a word: "ssl" is not offered icmpv6.opt.dnssl
    expect(labels('ssl')).not.toContain('icmpv6.opt.dnssl');
  });

  it('offers nothing for numbers, strings, an empty bar or a complete name with nothing longer', () => {
    expect(at('')).toBeNull();
    expect(at('tcp.port == 80')).toBeNull();
    expect(at('http.host == "tcp.')).toBeNull();
    expect(at('tcp.srcport')).toBeNull();
    expect(at('zzzz.nothing')).toBeNull();
  });
});

describe('value names after a comparison', () => {
  it('ip.proto == offers IP protocol names; a partial name narrows them', () => {
    expect(labels('ip.proto == ')).toEqual(expect.arrayContaining(['TCP', 'UDP', 'ICMP']));
    expect(labels('ip.proto == ud')[0]).toBe('UDP');
    const l = at('ip.proto eq T')!;
    expect(applyCompletion('ip.proto eq T', l, l.items.find((c) => c.label === 'TCP')!).text).toBe('ip.proto eq TCP');
  });

  it('names that are not one word are quoted', () => {
    expect(valueLiteral('TCP')).toBe('TCP');
    expect(valueLiteral('Echo (ping) request')).toBe('"Echo (ping) request"');
    expect(valueLiteral('802.1Q')).toBe('"802.1Q"');
    const l = at('dns.flags.rcode == "no e')!;
    expect(l.items[0]!.label).toBe('No error');
    expect(applyCompletion('dns.flags.rcode == "no e', l, l.items[0]!).text).toBe('dns.flags.rcode == "No error"');
    // the closing quote already typed is replaced too
    const text = 'dns.flags.rcode == "Serv" && udp';
    const l2 = at(text, text.indexOf('Serv') + 4)!;
    expect(applyCompletion(text, l2, l2.items[0]!).text).toBe('dns.flags.rcode == "Server failure" && udp');
  });

  it('fields without value names offer nothing after ==', () => {
    expect(at('tcp.port == ')).toBeNull();
  });
});

describe('speed', () => {
  it('stays well under a frame with 50,000 fields', () => {
    const many = [...fieldInfos()];
    for (let i = 0; many.length < 50_000; i++) many.push({ abbrev: `proto${i % 500}.field${i}`, name: `Field ${i}`, type: 'Unsigned integer (4 bytes)' });
    const big = new FieldIndex(many);
    // each prefix's best of five runs (the machine may be busy with other work): well under a frame
    const prefixes = ['t', 'tc', 'tcp', 'tcp.', 'tcp.f', 'proto1', 'proto12.', 'field', 'port'];
    const best = prefixes.map((p) => {
      let min = Infinity;
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        expect(completionsAt(p, p.length, big)).not.toBeNull();
        min = Math.min(min, performance.now() - t0);
      }
      return min;
    });
    expect(Math.max(...best)).toBeLessThan(10);
  });
});
