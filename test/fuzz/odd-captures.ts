// Odd and hostile capture files, made with our own writer (pcap-writer.ts): used by the worker-session tests
// (test/fuzz/odd-files.test.ts), the browser tests (e2e/robustness.spec.ts, e2e/security.spec.ts) and
// `node scripts/make-odd-captures.mjs`, which writes them to disk (and the XSS fixture, and on demand a
// 2 GB capture).

import { writePcap, writePcapng, type WriteFrame } from './pcap-writer';

const enc = new TextEncoder();

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  const arrs = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrs.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of arrs) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
const u16 = (v: number) => [(v >> 8) & 255, v & 255];
const u32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

function checksum(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i += 2) s += (b[i]! << 8) | (b[i + 1] ?? 0);
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const MAC_A = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0a];
const MAC_B = [0x02, 0x00, 0x00, 0x00, 0x00, 0x0b];
const IP_A = [192, 0, 2, 10];
const IP_B = [198, 51, 100, 20];

/** Ethernet + IPv4 (checksum filled in) around a transport payload. */
export function ipv4Frame(proto: number, payload: Uint8Array, fromA = true, ipLen?: number): Uint8Array {
  const [src, dst] = fromA ? [IP_A, IP_B] : [IP_B, IP_A];
  const [smac, dmac] = fromA ? [MAC_A, MAC_B] : [MAC_B, MAC_A];
  const ip = Uint8Array.from([0x45, 0, ...u16(ipLen ?? Math.min(0xffff, 20 + payload.length)), 0, 1, 0x40, 0, 64, proto, 0, 0, ...src, ...dst]);
  const c = checksum(ip);
  ip[10] = c >> 8;
  ip[11] = c & 255;
  return concat(dmac, smac, [0x08, 0x00], ip, payload);
}

function udp(sport: number, dport: number, data: Uint8Array): Uint8Array {
  return concat(u16(sport), u16(dport), u16(8 + data.length), [0, 0], data);
}

function tcp(sport: number, dport: number, seq: number, ack: number, flags: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  return concat(u16(sport), u16(dport), u32(seq), u32(ack), [0x50, flags], u16(65535), [0, 0, 0, 0], data);
}

// -----------------------------------------------------------------------------------------------
// XSS: payload strings in every place a capture carries text

export const XSS = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=window.__xss=1>',
  js: 'javascript:window.__xss=1',
  svg: '"><svg onload=alert(1)>',
  flag: '<script>window.__xss=1</script>',
};

function dnsName(labels: string[]): number[] {
  const out: number[] = [];
  for (const l of labels) {
    const b = enc.encode(l);
    out.push(b.length, ...b);
  }
  out.push(0);
  return out;
}

/** DNS query and response whose names and CNAME are payload strings. */
function dnsFrames(): Uint8Array[] {
  const qname = dnsName([XSS.script, XSS.img, XSS.js, 'example']);
  const cname = dnsName([XSS.svg, XSS.flag, 'test']);
  const q = concat([0x13, 0x37, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0], qname, [0, 1, 0, 1]);
  const r = concat(
    [0x13, 0x37, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0],
    qname,
    [0, 1, 0, 1],
    [0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60],
    u16(cname.length),
    cname,
  );
  return [ipv4Frame(17, udp(53124, 53, q)), ipv4Frame(17, udp(53, 53124, r), false)];
}

/** TLS ClientHello with a payload as the server name (SNI). */
function clientHello(sni: string): Uint8Array {
  const name = enc.encode(sni);
  const sniExt = concat(u16(0), u16(name.length + 5), u16(name.length + 3), [0], u16(name.length), name);
  const body = concat([3, 3], new Uint8Array(32).fill(0x11), [0], u16(2), [0x13, 0x01], [1, 0], u16(sniExt.length), sniExt);
  const hs = concat([1, (body.length >> 16) & 255], u16(body.length), body);
  return concat([0x16, 3, 1], u16(hs.length), hs);
}

/** A TCP conversation A:port → B:port, with handshake, one request, one response and FIN close. */
function tcpConversation(sport: number, dport: number, request: Uint8Array, response: Uint8Array | null): Uint8Array[] {
  const a = 1000;
  const b = 5000;
  const f: Uint8Array[] = [];
  f.push(ipv4Frame(6, tcp(sport, dport, a, 0, 0x02)));
  f.push(ipv4Frame(6, tcp(dport, sport, b, a + 1, 0x12), false));
  f.push(ipv4Frame(6, tcp(sport, dport, a + 1, b + 1, 0x10)));
  f.push(ipv4Frame(6, tcp(sport, dport, a + 1, b + 1, 0x18, request)));
  const ra = a + 1 + request.length;
  let rb = b + 1;
  if (response) {
    f.push(ipv4Frame(6, tcp(dport, sport, rb, ra, 0x18, response), false));
    rb += response.length;
  } else f.push(ipv4Frame(6, tcp(dport, sport, rb, ra, 0x10), false));
  f.push(ipv4Frame(6, tcp(sport, dport, ra, rb, 0x11)));
  f.push(ipv4Frame(6, tcp(dport, sport, rb, ra + 1, 0x11), false));
  f.push(ipv4Frame(6, tcp(sport, dport, ra + 1, rb + 1, 0x10)));
  return f;
}

/** The XSS capture: DNS names, HTTP request line/headers/body and TLS SNI full of markup and javascript: URLs. */
export function xssCapture(): Uint8Array {
  const req = enc.encode(
    `GET /${XSS.script}?q=${XSS.img} HTTP/1.1\r\n` +
      `Host: ${XSS.script}\r\n` +
      `User-Agent: ${XSS.img}\r\n` +
      `Referer: ${XSS.js}\r\n` +
      `X-Payload: ${XSS.svg}\r\n` +
      `Cookie: a=${XSS.flag}\r\n\r\n`,
  );
  const html = `<html><body>${XSS.flag}<a href="${XSS.js}">x</a>${XSS.img}</body></html>`;
  const res = enc.encode(
    `HTTP/1.1 200 ${XSS.script}\r\n` +
      `Content-Type: text/html\r\n` +
      `Location: ${XSS.js}\r\n` +
      `Server: ${XSS.img}\r\n` +
      `Content-Length: ${enc.encode(html).length}\r\n\r\n` +
      html,
  );
  const frames = [...dnsFrames(), ...tcpConversation(40000, 80, req, res), ...tcpConversation(40001, 443, clientHello(XSS.flag), null)];
  return writePcap(frames.map((data, i) => ({ data, ts: 1_700_000_000 + i * 0.001 })));
}

// -----------------------------------------------------------------------------------------------
// odd files

/** One frame of 256 KiB (262144 bytes, the largest record Wireshark accepts): a UDP datagram and its padding. */
export function jumboFrame(size = 262144): Uint8Array {
  const payload = new Uint8Array(size - 14 - 20 - 8);
  for (let i = 0; i < payload.length; i++) payload[i] = 0x41 + (i % 26);
  const frame = ipv4Frame(17, udp(40000, 9, payload));
  return writePcap([{ data: frame }]);
}

export const emptyPcap = (): Uint8Array => writePcap([]);
export const emptyPcapng = (): Uint8Array => writePcapng([], []);

/** A pcapng with 100 interfaces (mixed link types) and a packet on every tenth one. */
export function pcapng100Interfaces(): Uint8Array {
  const ifaces = Array.from({ length: 100 }, (_, i) => ({ linkType: i % 2 ? 1 : 101, name: `if${i}` }));
  const frames: WriteFrame[] = [];
  for (let i = 0; i < 100; i += 10) {
    const eth = ipv4Frame(17, udp(1000 + i, 2000, enc.encode(`interface ${i}`)));
    frames.push({ data: ifaces[i]!.linkType === 1 ? eth : eth.subarray(14), iface: i, ts: 1_700_000_000 + i });
  }
  return writePcapng(frames, ifaces);
}

/** Timestamps that go backwards (and one before 1970 is not possible in pcap: the last is 0). */
export function backwardsTimestamps(): Uint8Array {
  const ts = [1_700_000_100, 1_700_000_050, 1_700_000_075, 1_600_000_000, 0];
  return writePcap(ts.map((t, i) => ({ data: ipv4Frame(17, udp(1000, 2000, enc.encode(`frame ${i}`))), ts: t })));
}

/** A pcap whose header says snaplen 0 (tools write it for "unknown"); its records are whole. */
export function snaplenZero(): Uint8Array {
  return writePcap(
    [0, 1, 2].map((i) => ({ data: ipv4Frame(17, udp(1000, 2000, enc.encode(`snaplen zero ${i}`))) })),
    { snaplen: 0 },
  );
}

/** A file that is not a capture (a ZIP header). */
export const notACapture = (): Uint8Array => Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0]);

export const ODD_FILES: Record<string, () => Uint8Array> = {
  'jumbo_256k.pcap': jumboFrame,
  'empty.pcap': emptyPcap,
  'empty.pcapng': emptyPcapng,
  '100_interfaces.pcapng': pcapng100Interfaces,
  'backwards_time.pcap': backwardsTimestamps,
  'snaplen_0.pcap': snaplenZero,
  'not_a_capture.zip': notACapture,
};

/**
 * A big pcap written in chunks (never whole in memory): `total` bytes of 1,514-byte UDP frames with
 * increasing timestamps. `write` receives each chunk; returns the frame count.
 */
export function hugePcap(total: number, write: (chunk: Uint8Array) => void): number {
  const head = writePcap([]);
  write(head);
  let written = head.length;
  const payload = new Uint8Array(1514 - 42);
  const frame = ipv4Frame(17, udp(40000, 9, payload));
  const rec = 16 + frame.length;
  const perChunk = 4096;
  const chunk = new Uint8Array(perChunk * rec);
  const dv = new DataView(chunk.buffer);
  let n = 0;
  const t0 = 1_700_000_000;
  while (written + rec <= total) {
    const k = Math.min(perChunk, Math.floor((total - written) / rec));
    for (let i = 0; i < k; i++, n++) {
      const o = i * rec;
      dv.setUint32(o, t0 + Math.floor(n / 1000), true);
      dv.setUint32(o + 4, (n % 1000) * 1000, true);
      dv.setUint32(o + 8, frame.length, true);
      dv.setUint32(o + 12, frame.length, true);
      chunk.set(frame, o + 16);
      dv.setUint32(o + 16 + 42, n, false); // frame number in the payload
    }
    write(chunk.subarray(0, k * rec));
    written += k * rec;
  }
  return n;
}

/**
 * A pcap of over 2 GiB that costs almost no disk: `count` records of 256 KiB whose first bytes (Ethernet,
 * IPv4, UDP from port 10000 + n, the frame number n as payload) are written at their offsets; the rest of
 * each record is left to `write`'s caller as a hole (a sparse file reads back zeros). `write(offset, bytes)`
 * receives each piece; returns the file's size, which the caller extends the file to.
 */
export function sparseJumboPcap(count: number, write: (offset: number, bytes: Uint8Array) => void): number {
  const size = 262144;
  write(0, writePcap([]));
  let o = 24;
  for (let n = 1; n <= count; n++, o += 16 + size) {
    const frame = ipv4Frame(17, udp(10000 + n, 9, Uint8Array.from(u32(n))));
    const rec = new Uint8Array(16 + frame.length);
    const dv = new DataView(rec.buffer);
    dv.setUint32(0, 1_700_000_000 + n, true);
    dv.setUint32(8, size, true);
    dv.setUint32(12, size, true);
    rec.set(frame, 16);
    write(o, rec);
  }
  return o;
}
