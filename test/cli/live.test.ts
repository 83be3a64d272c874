// `wirelens live`, the capture bridge: loopback only, the token, the pcap stream cut into whole
// records, late joiners, the static page, and what it says when tcpdump is missing or not allowed.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request, createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Bridge, PcapFramer, live, parseLiveArgs, LiveUsageError, type LiveIO } from '../../src/cli/live';
import { Capture } from '../../src/core/capture';
import { MemorySource } from '../../src/core/formats/reader';
import { rowSummary } from '../../src/core/summary';

const root = join(__dirname, '..', '..');
const PCAP = readFileSync(join(root, 'test', 'fixtures', 'captures', '01_http_get_loopback.pcap'));

function appDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'wl-app-'));
  writeFileSync(join(d, 'index.html'), '<!doctype html><title>Wirelens</title>');
  mkdirSync(join(d, 'assets'));
  writeFileSync(join(d, 'assets', 'a.js'), 'export {};');
  return d;
}

/** Record boundaries of the fixture: [header, rec1, rec2, …] as byte ranges. */
function recordEnds(b: Buffer): number[] {
  const ends = [24];
  for (let o = 24; o + 16 <= b.length; ) {
    o += 16 + b.readUInt32LE(o + 8);
    ends.push(o);
  }
  return ends;
}

/** Open a WebSocket and collect what it receives until it closes (or `until` says enough). */
function collect(url: string, opts: WebSocket.ClientOptions = {}, until?: (bin: Buffer) => boolean) {
  return new Promise<{ texts: string[]; bin: Buffer; close: { code: number; reason: string } | null; error: string | null; opened: boolean }>((res) => {
    const ws = new WebSocket(url, opts);
    const texts: string[] = [];
    const parts: Buffer[] = [];
    let opened = false;
    let error: string | null = null;
    const done = (close: { code: number; reason: string } | null) => res({ texts, bin: Buffer.concat(parts), close, error, opened });
    ws.on('open', () => (opened = true));
    ws.on('message', (d: Buffer, isBinary: boolean) => {
      if (isBinary) parts.push(d);
      else texts.push(d.toString());
      if (until?.(Buffer.concat(parts))) {
        ws.close();
      }
    });
    ws.on('error', (e) => (error = e.message));
    ws.on('close', (code, reason) => done(opened ? { code, reason: reason.toString() } : null));
  });
}

function httpGet(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((res, rej) => {
    const r = request({ host: '127.0.0.1', port, path, headers }, (m) => {
      let body = '';
      m.setEncoding('utf8');
      m.on('data', (c) => (body += c));
      m.on('end', () => res({ status: m.statusCode!, headers: m.headers, body }));
    });
    r.on('error', rej);
    r.end();
  });
}

const bridges: Bridge[] = [];
afterEach(async () => {
  for (const b of bridges.splice(0)) await b.close();
});

async function bridge(token?: string) {
  const b = new Bridge({ appDir: appDir(), token, info: { interface: 'lo', filter: 'tcp port 1' } });
  bridges.push(b);
  await b.listen(0);
  return b;
}

describe('wirelens live: options', () => {
  it('listens on loopback only: --host anything else is refused with a clear message', () => {
    for (const h of ['0.0.0.0', '::', '192.168.1.10', 'localhost', 'example.com']) {
      expect(() => parseLiveArgs(['--host', h])).toThrow(LiveUsageError);
      expect(() => parseLiveArgs(['--host', h])).toThrow(/only ever listens on 127\.0\.0\.1/);
    }
    expect(parseLiveArgs(['--host', '127.0.0.1', '-i', 'eth0', '-f', 'tcp port 80', '--port', '8123'])).toMatchObject({
      iface: 'eth0',
      filter: 'tcp port 80',
      port: 8123,
    });
    expect(parseLiveArgs([]).iface).toMatch(/^lo/);
  });

  it('the command refuses --host 0.0.0.0 and exits 2 without listening', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'wirelens.mjs'), 'live', '--host', '0.0.0.0'], { encoding: 'utf8', timeout: 60000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to listen on "0\.0\.0\.0"/);
    expect(r.stdout).toBe('');
  });
});

describe('PcapFramer', () => {
  it('cuts a pcap stream into the header and whole records, however it is chunked', () => {
    const ends = recordEnds(PCAP);
    for (const size of [1, 7, 16, 100, 5000]) {
      const f = new PcapFramer();
      const out: Buffer[] = [];
      for (let o = 0; o < PCAP.length; o += size) out.push(...f.push(PCAP.subarray(o, o + size)));
      expect(f.header).toEqual(PCAP.subarray(0, 24));
      expect(Buffer.concat(out)).toEqual(PCAP.subarray(24));
      // every piece ends on a record boundary
      let pos = 24;
      for (const b of out) {
        pos += b.length;
        expect(ends).toContain(pos);
      }
    }
  });

  it('passes a stream that is not pcap through unchanged', () => {
    const f = new PcapFramer();
    const ng = Buffer.from('0a0d0d0a1c0000004d3c2b1a01000000ffffffffffffffff1c000000', 'hex');
    expect(Buffer.concat([...f.push(ng.subarray(0, 10)), ...f.push(ng.subarray(10))])).toEqual(ng);
    expect(f.passthrough).toBe(true);
  });
});

describe('Bridge', () => {
  it('a wrong token is refused with 403 and gets nothing', async () => {
    const b = await bridge();
    b.push(PCAP);
    const bad = b.token.slice(0, -1) + (b.token.endsWith('0') ? '1' : '0');
    for (const path of [`/${bad}`, '/', `/${b.token}x`, `/${b.token.slice(1)}`, `/x/${b.token}`]) {
      const r = await collect(`ws://127.0.0.1:${b.port}${path}`);
      expect(r.opened).toBe(false);
      expect(r.error).toMatch(/403/);
      expect(r.bin.length + r.texts.length).toBe(0);
    }
    expect(b.clients.size).toBe(0);
  });

  it('refuses pages from other origins and other Host names (DNS rebinding)', async () => {
    const b = await bridge();
    const evil = await collect(b.wsUrl, { origin: 'http://evil.example' });
    expect(evil.opened).toBe(false);
    expect(evil.error).toMatch(/403/);
    const host = await collect(b.wsUrl, { headers: { host: `evil.example:${b.port}` } });
    expect(host.opened).toBe(false);
    expect((await httpGet(b.port, '/', { host: `evil.example:${b.port}` })).status).toBe(403);
  });

  it('the right token gets the header, then whole records as they are captured; late joiners get everything so far', async () => {
    const b = await bridge();
    expect(b.token).toMatch(/^[0-9a-f]{32}$/); // 128 bits
    expect(b.pageUrl).toBe(`http://127.0.0.1:${b.port}/#live=ws://127.0.0.1:${b.port}/${b.token}`);
    const ends = recordEnds(PCAP);
    const first = collect(b.wsUrl, { origin: `http://127.0.0.1:${b.port}` }, (bin) => bin.length >= PCAP.length);
    await new Promise((r) => setTimeout(r, 100));
    // the capture program writes in odd pieces
    b.push(PCAP.subarray(0, 30));
    b.push(PCAP.subarray(30, ends[3]! + 3));
    const late = collect(b.wsUrl, {}, (bin) => bin.length >= PCAP.length);
    await new Promise((r) => setTimeout(r, 100));
    b.push(PCAP.subarray(ends[3]! + 3));
    const [a, c] = await Promise.all([first, late]);
    for (const r of [a, c]) {
      expect(r.bin).toEqual(PCAP);
      expect(JSON.parse(r.texts[0]!)).toEqual({ wirelens: 'live', interface: 'lo', filter: 'tcp port 1' });
    }
  });

  it('tells pages when the capture ends, and late joiners get the capture then the end', async () => {
    const b = await bridge();
    b.push(PCAP);
    const open = collect(b.wsUrl);
    await new Promise((r) => setTimeout(r, 100));
    b.end(1011, 'tcpdump exited with code 1: something went wrong');
    expect(await open).toMatchObject({ bin: PCAP, close: { code: 1011, reason: 'tcpdump exited with code 1: something went wrong' } });
    expect(await collect(b.wsUrl)).toMatchObject({ bin: PCAP, close: { code: 1011 } });
  });

  it('serves the page with the strict CSP, and nothing outside its directory', async () => {
    const b = await bridge();
    const page = await httpGet(b.port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Wirelens</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect((await httpGet(b.port, '/assets/a.js')).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await httpGet(b.port, '/../package.json')).status).toBe(404);
    expect((await httpGet(b.port, '/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
    expect((await httpGet(b.port, '/nope.js')).status).toBe(404);
  });
});

describe('wirelens live: tcpdump missing or not allowed', () => {
  const io = () => {
    const o = { out: '', err: '' };
    const io: LiveIO = { out: (s) => (o.out += s), err: (s) => (o.err += s) };
    return { o, io };
  };

  it('explains how to install tcpdump when it is missing', async () => {
    const { o, io: x } = io();
    const empty = mkdtempSync(join(tmpdir(), 'wl-path-'));
    expect(await live(['-i', 'lo', '--app-dir', appDir()], x, { searchPath: empty })).toBe(2);
    expect(o.err).toMatch(/tcpdump is not installed/);
    expect(o.err).toContain('sudo apt-get install tcpdump');
  });

  it('explains sudo / setcap when tcpdump lacks the privilege to capture', async () => {
    const { o, io: x } = io();
    const bin = mkdtempSync(join(tmpdir(), 'wl-path-'));
    // what Debian's tcpdump prints as a normal user
    writeFileSync(
      join(bin, 'tcpdump'),
      `#!/bin/sh\necho "tcpdump: lo: You don't have permission to perform this capture on that device" >&2\necho "(socket: Operation not permitted)" >&2\nexit 1\n`,
    );
    chmodSync(join(bin, 'tcpdump'), 0o755);
    expect(await live(['-i', 'lo', '--app-dir', appDir()], x, { searchPath: bin })).toBe(1);
    expect(o.err).toMatch(/You don't have permission/);
    expect(o.err).toContain('sudo npx wirelens live');
    expect(o.err).toContain(`setcap cap_net_raw,cap_net_admin=eip ${join(bin, 'tcpdump')}`);
    expect(o.out).toBe(''); // no address was printed
  });
});

/** tcpdump can capture here (root or cap_net_raw) */
const canCapture = (() => {
  const r = spawnSync('tcpdump', ['-i', 'lo', '-c', '1', '-w', '/dev/null', 'tcp port 1'], { timeout: 1500, encoding: 'utf8' });
  return !/permission|not permitted/i.test(r.stderr ?? '') && !r.error?.message.includes('ENOENT');
})();

describe.skipIf(!canCapture)('wirelens live with tcpdump on loopback', () => {
  it('streams a real HTTP exchange: handshake, request, response and FIN', async () => {
    const server: Server = createServer((_req, res) => res.end('hello from the test server\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const child = spawn(process.execPath, [join(root, 'bin', 'wirelens.mjs'), 'live', '-i', 'lo', '-f', `tcp port ${port}`, '--app-dir', appDir()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((res, rej) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d;
          const m = /#live=(ws:\/\/127\.0\.0\.1:\d+\/[0-9a-f]{32})/.exec(out);
          if (m) res(m[1]!);
        });
        child.on('exit', (c) => rej(new Error(`exited ${c}`)));
      });
      const received = collect(url, {}, (bin) => {
        // until the last ACK of the close: both FINs and their ACKs
        if (bin.length < 24) return false;
        const cap = new Capture(new MemorySource(new Uint8Array(bin)));
        cap.load();
        let fins = 0;
        for (let n = 1; n <= cap.frames.count; n++) if (/\[FIN/.test(rowSummary(cap, n).info)) fins++;
        return fins >= 2;
      });
      await new Promise((r) => setTimeout(r, 200));
      const body = await new Promise<string>((res, rej) => {
        const r = request({ host: '127.0.0.1', port, path: '/live-test', agent: false }, (m) => {
          let s = '';
          m.on('data', (c) => (s += c));
          m.on('end', () => res(s));
        });
        r.on('error', rej);
        r.end();
      });
      expect(body).toBe('hello from the test server\n');
      const r = await Promise.race([received, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('no FIN within 5 s')), 5000))]);
      const cap = new Capture(new MemorySource(new Uint8Array(r.bin)));
      expect(cap.load()).toBe(true);
      expect(cap.error).toBeNull();
      const infos = Array.from({ length: cap.frames.count }, (_, i) => rowSummary(cap, i + 1));
      const text = infos.map((x) => `${x.protocol} ${x.info}`).join('\n');
      expect(text).toMatch(/\[SYN\]/);
      expect(text).toMatch(/\[SYN, ACK\]/);
      expect(text).toMatch(/GET \/live-test HTTP\/1\.1/);
      expect(text).toMatch(/HTTP\/1\.1 200 OK/);
      expect(text).toMatch(/\[FIN, ACK\]/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      server.close();
    }
  }, 60000);
});
