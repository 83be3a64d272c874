// Endpoint tables against tshark's `-q -z endpoints,TYPE` (test/fixtures/golden/<capture>/endpoints-*.txt,
// made by scripts/stats-goldens.mjs): the same endpoints with the same packet and byte counts, in total,
// sent (Tx) and received (Rx), on every fixture.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeEndpoints, type EndpointKind, type EndpointRow } from '../../src/core/stats/endpoints';
import { goldenCaptures, loadCapture, GOLDEN } from './util';

const FILES: [string, EndpointKind][] = [
  ['eth', 'eth'],
  ['ip', 'ipv4'],
  ['ipv6', 'ipv6'],
  ['tcp', 'tcp'],
  ['udp', 'udp'],
];

/** 'endpoint packets bytes txp txb rxp rxb' per line, sorted. */
function tsharkRows(text: string, ported: boolean): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = ported
      ? /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line)
      : /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line);
    if (!m) continue;
    out.push(ported ? `${m[1]}:${m[2]} ${m.slice(3).join(' ')}` : m.slice(1).join(' '));
  }
  return out.sort();
}

function ourRows(rows: EndpointRow[]): string[] {
  return rows
    .map((r) => [r.port === undefined ? r.addr : `${r.addr}:${r.port}`, r.packets, r.bytes, r.txPackets, r.txBytes, r.rxPackets, r.rxBytes].join(' '))
    .sort();
}

describe('endpoints match tshark -z endpoints', () => {
  for (const name of goldenCaptures()) {
    if (!existsSync(join(GOLDEN, name, 'endpoints-eth.txt'))) continue;
    it(name, () => {
      const t = computeEndpoints(loadCapture(name));
      for (const [file, kind] of FILES) {
        const golden = tsharkRows(readFileSync(join(GOLDEN, name, `endpoints-${file}.txt`), 'utf8'), kind === 'tcp' || kind === 'udp');
        expect(ourRows(t[kind]), `${kind} endpoints`).toEqual(golden);
      }
    });
  }

  it('counts a host talking to itself twice (Tx and Rx)', () => {
    const t = computeEndpoints(loadCapture('01_http_get_loopback.pcap'));
    expect(t.ipv4).toHaveLength(1);
    expect(t.ipv4[0]!.packets).toBe(24);
    expect(t.ipv4[0]!.txPackets).toBe(12);
  });
});
