// Capture readers: pcap byte orders and resolutions, pcapng sections/interfaces/blocks, and bad input.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CaptureError, MemorySource, openCapture, splitTimestamp, type CaptureRecord } from '../../src/core/formats/reader';

const fx = (n: string) => {
  const b = readFileSync(join(__dirname, '..', 'fixtures', 'captures', n));
  return new Uint8Array(n.endsWith('.gz') ? gunzipSync(b) : b);
};
const hex = (s: string) => new Uint8Array(s.replace(/\s+/g, '').match(/../g)!.map((h) => parseInt(h, 16)));

function readAll(bytes: Uint8Array): { recs: CaptureRecord[]; error: CaptureError | null; info: ReturnType<typeof openCapture>['info'] } {
  const r = openCapture(new MemorySource(bytes));
  const recs: CaptureRecord[] = [];
  try {
    for (let x = r.next(); x; x = r.next()) recs.push(x);
  } catch (e) {
    if (e instanceof CaptureError) return { recs, error: e, info: r.info };
    throw e;
  }
  return { recs, error: null, info: r.info };
}

describe('pcap', () => {
  // a1b2c3d4 0002 0004 00000000 00000000 00040000 00000001  (big-endian header, Ethernet)
  // record: ts 1.000002, caplen 2, len 60, data aa bb
  const be = hex(`a1b2c3d4 0002 0004 00000000 00000000 00040000 00000001
                  00000001 00000002 00000002 0000003c aabb`);
  it('reads a big-endian microsecond file', () => {
    const { recs, info, error } = readAll(be);
    expect(error).toBeNull();
    expect(info.format).toBe('pcap');
    expect(info.bigEndian).toBe(true);
    expect(info.interfaces[0]!.linkType).toBe(1);
    expect(recs).toEqual([
      { offset: 40, capLen: 2, origLen: 60, tsSec: 1, tsNsec: 2000, iface: 0, comments: null, flags: -1, hasTs: true, custom: null },
    ]);
  });

  it('reads nanosecond files in both byte orders with the same timestamps', () => {
    const us = readAll(fx('01_http_get_loopback.pcap')).recs;
    const ns = readAll(fx('01_http_get_loopback_nsec.pcap'));
    expect(ns.info.format).toBe('pcap-nsec');
    expect(ns.recs.map((r) => [r.tsSec, r.tsNsec])).toEqual(us.map((r) => [r.tsSec, r.tsNsec]));
    expect(readAll(fx('zeek__dssetup_DsRoleGetPrimaryDomainInformation_standalone_workstation.cap')).info.bigEndian).toBe(true);
  });

  it('keeps every whole frame of a file cut short in the middle of a record', () => {
    const whole = fx('01_http_get_loopback.pcap');
    const { recs, error } = readAll(whole.subarray(0, whole.length - 10));
    expect(recs).toHaveLength(11);
    expect(error?.kind).toBe('cut-short');
    expect(error?.message).toBe('The capture file appears to have been cut short in the middle of a packet.');
  });

  it('stops at a record with an impossible length', () => {
    const bad = be.slice();
    bad.set([0xff, 0xff, 0xff, 0xff], 24 + 8); // caplen
    const { recs, error } = readAll(bad);
    expect(recs).toHaveLength(0);
    expect(error?.kind).toBe('bad-record');
    expect(error?.message).toMatch(/claims 4294967295 bytes, bigger than the maximum of 262144/);
  });

  it('names what a non-capture file is not', () => {
    expect(() => openCapture(new MemorySource(hex('504b0304 14000000')))).toThrow('not a pcap or pcapng file: first bytes 50 4b 03 04');
    expect(() => openCapture(new MemorySource(new Uint8Array()))).toThrow('the file is empty');
  });

  it('reads an empty capture', () => {
    expect(readAll(fx('tcpdump__empty.pcap')).recs).toEqual([]);
    expect(readAll(fx('tcpdump__empty.pcapng')).recs).toEqual([]);
  });
});

describe('pcapng', () => {
  it('reads several sections of either byte order with per-section interfaces', () => {
    const { recs, info, error } = readAll(fx('gopacket__le-test202.pcapng'));
    expect(error).toBeNull();
    // tshark lists 11 frames: 8 packets and 3 custom blocks (PEN 32473 copyable, 32473 and 36724 not)
    expect(recs).toHaveLength(11);
    expect(recs.filter((r) => r.custom).map((r) => [r.custom!.pen, r.custom!.copy])).toEqual([
      [32473, true],
      [32473, false],
      [36724, false],
    ]);
    // simple packet blocks and custom blocks carry no timestamp
    expect(recs.map((r) => r.hasTs)).toEqual([false, true, true, true, false, true, false, false, true, false, true]);
    expect(info.interfaces.map((i) => i.linkType)).toEqual([1, 0, 1, 1, 0].slice(0, info.interfaces.length));
    expect(new Set(info.interfaces.map((i) => i.section)).size).toBe(3);
  });

  it('reads big-endian sections like little-endian ones', () => {
    const le = readAll(fx('gopacket__le-test006.pcapng')).recs;
    const be = readAll(fx('gopacket__be-test006.pcapng'));
    expect(be.info.bigEndian).toBe(true);
    expect(be.recs.map((r) => [r.capLen, r.origLen, r.tsSec, r.tsNsec, r.iface])).toEqual(
      le.map((r) => [r.capLen, r.origLen, r.tsSec, r.tsNsec, r.iface]),
    );
  });

  it('reads simple packet blocks and packet/section comments', () => {
    expect(readAll(fx('gopacket__le-test010.pcapng')).recs).toHaveLength(4);
    const c = readAll(fx('07_merged_multi_interface_comments.pcapng'));
    expect(c.info.sectionComments.length).toBeGreaterThan(0);
    expect(c.info.sectionComments[0]).toMatch(/^pcap viewer test corpus: mergecap of 01_http_get_loopback.pcap/);
    // tshark -r 07_merged_multi_interface_comments.pcapng -T fields -e frame.number -e frame.comment -Y frame.comment
    expect(c.recs.map((r, i) => [i + 1, r.comments]).filter(([, cm]) => cm)).toEqual([
      [1, ['first frame: a comment added with editcap -a']],
      [3, ['third frame: multi-word packet comment, UTF-8 ✓']],
    ]);
    expect(new Set(c.info.interfaces.map((i) => i.linkType))).toEqual(new Set([1, 276]));
  });

  it('applies if_tsresol per interface', () => {
    const { info } = readAll(fx('zeek__pcapng-multi-interface.pcapng'));
    expect(info.interfaces.map((i) => i.tsUnitsPerSec).sort()).toEqual([1e6, 1e9]);
  });

  it('splits 64-bit timestamps exactly', () => {
    // 1795308378.338004123 s in nanoseconds = 0x18EA4B0B_2F1E0A9B
    const total = 1795308378338004123n;
    expect(splitTimestamp(Number(total >> 32n), Number(total & 0xffffffffn), 1e9)).toEqual({ s: 1795308378, ns: 338004123 });
    expect(splitTimestamp(0, 1500000, 1e6)).toEqual({ s: 1, ns: 500000000 });
    expect(splitTimestamp(0, 3, 2 ** 1)).toEqual({ s: 1, ns: 500000000 });
  });
});
