// The `wirelens` command as a person runs it: output, errors and exit codes like tshark's.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const fixture = (n: string) => join(root, 'test', 'fixtures', 'captures', n);
const golden = (n: string, f: string) => readFileSync(join(root, 'test', 'fixtures', 'golden', n, f), 'utf8');

function wirelens(...args: string[]) {
  const r = spawnSync('node', [join(root, 'bin', 'wirelens.mjs'), ...args], { encoding: 'utf8' });
  return { out: r.stdout, err: r.stderr, code: r.status };
}

describe('wirelens CLI', () => {
  it('prints the same summary lines as tshark for the sample', () => {
    const r = wirelens('-r', fixture('01_http_get_loopback.pcap'));
    expect(r.code).toBe(0);
    expect(r.out).toBe(golden('01_http_get_loopback.pcap', 'summary.txt'));
  });

  it('prints -T fields rows, several occurrences joined by a comma', () => {
    // tshark -r 01_http_get_loopback.pcap -T fields -e frame.number -e eth.addr -e frame.time_delta -c 2
    const r = wirelens('-r', fixture('01_http_get_loopback.pcap'), '-T', 'fields', '-e', 'frame.number', '-e', 'eth.addr', '-e', 'frame.time_delta', '-c', '2');
    expect(r.out).toBe('1\t00:00:00:00:00:00,00:00:00:00:00:00\t0.000000000\n2\t00:00:00:00:00:00,00:00:00:00:00:00\t0.000014000\n');
  });

  it('reads gzip-compressed captures by their magic bytes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-'));
    const f = join(dir, 'no-extension');
    writeFileSync(f, gzipSync(readFileSync(fixture('01_http_get_loopback.pcap'))));
    const r = wirelens('-r', f, '-T', 'fields', '-e', 'frame.number');
    expect(r.out.trim().split('\n')).toHaveLength(12);
  });

  it('rejects unknown fields like tshark (exit 1)', () => {
    const r = wirelens('-r', fixture('01_http_get_loopback.pcap'), '-T', 'fields', '-e', 'foo.bar');
    expect(r.code).toBe(1);
    expect(r.err).toBe("wirelens: Some fields aren't valid:\n\tfoo.bar\n");
  });

  it('rejects a bad filter with the message and a caret under the position (exit 2)', () => {
    const r = wirelens('-r', fixture('01_http_get_loopback.pcap'), '-Y', 'tcp.port = = 1');
    expect(r.code).toBe(2);
    expect(r.err).toBe('wirelens: "=" was unexpected in this context.\n    tcp.port = = 1\n             ^\n');
  });

  it('says what a non-capture file is not (exit 2)', () => {
    const r = wirelens('-r', join(root, 'package.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/isn't a capture file in a format wirelens understands: not a pcap or pcapng file: first bytes 7b 0a 20 20/);
  });

  it('prints every whole frame of a cut-short capture, then says so (exit 2)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wl-'));
    const f = join(dir, 'cut.pcap');
    writeFileSync(f, readFileSync(fixture('01_http_get_loopback.pcap')).subarray(0, 1000));
    const r = wirelens('-r', f, '-T', 'fields', '-e', 'frame.number');
    expect(r.out).toBe('1\n2\n3\n4\n5\n6\n7\n');
    expect(r.err).toBe('wirelens: The file "cut.pcap" appears to have been cut short in the middle of a packet.\n');
    expect(r.code).toBe(2);
  });

  it('reports a missing file', () => {
    const r = wirelens('-r', '/nonexistent.pcap');
    expect(r.code).toBe(2);
    expect(r.err).toBe('wirelens: The file "/nonexistent.pcap" doesn\'t exist.\n');
  });
});
