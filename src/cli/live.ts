// `wirelens live`: a local capture bridge for live demos. It runs tcpdump (or dumpcap) writing a pcap
// stream to stdout and serves, from ONE HTTP server bound to 127.0.0.1, the built Wirelens page and a
// WebSocket at /TOKEN that carries the stream's bytes (binary messages of whole records; the first
// carries the file header). The page is opened with http://127.0.0.1:N/#live=ws://127.0.0.1:N/TOKEN.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { networkInterfaces } from 'node:os';
import { delimiter, dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export class LiveUsageError extends Error {}

export interface LiveOptions {
  iface: string;
  filter: string;
  port: number;
  /** a directory with the built page (index.html); null = dist/, built on demand */
  appDir: string | null;
  /** most bytes of captured records kept for late joiners */
  bufferBytes: number;
}

export const LIVE_USAGE = `Usage: wirelens live [-i <interface>] [-f "<capture filter>"] [--port <port>]

Captures on an interface (default: loopback) with tcpdump and shows the packets in the Wirelens page
as they arrive. Listens on 127.0.0.1 only; the printed address carries a random access token.

Options:
  -i <interface>        interface to capture on (default: the loopback interface)
  -f "<filter>"         capture filter (tcpdump / BPF syntax), e.g. -f "tcp port 8080"
  --port <port>         port of the local server (default: any free port)
  --buffer <MiB>        captured data kept for pages that join later (default: 256)
  --app-dir <dir>       serve this built page instead of dist/ (built on demand)`;

/** The loopback interface's name (lo on Linux, lo0 on macOS). */
export function loopbackName(): string {
  for (const [name, addrs] of Object.entries(networkInterfaces())) {
    if (addrs?.some((a) => a.internal)) return name;
  }
  return 'lo';
}

export function parseLiveArgs(argv: string[]): LiveOptions {
  const o: LiveOptions = { iface: '', filter: '', port: 0, appDir: null, bufferBytes: 256 << 20 };
  const need = (i: number, opt: string) => {
    const v = argv[i];
    if (v === undefined) throw new LiveUsageError(`option ${opt} requires an argument\n\n${LIVE_USAGE}`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = /^(--[a-z-]+)=(.*)$/.exec(a);
    const opt = eq ? eq[1]! : a;
    const val = () => (eq ? eq[2]! : need(++i, opt));
    switch (opt) {
      case '-i':
      case '--interface':
        o.iface = val();
        break;
      case '-f':
      case '--filter':
        o.filter = val();
        break;
      case '--port':
      case '-p': {
        const v = val();
        const n = Number(v);
        if (!/^\d+$/.test(v) || n > 65535) throw new LiveUsageError(`invalid port "${v}"`);
        o.port = n;
        break;
      }
      case '--host':
      case '--bind':
      case '-H': {
        const v = val();
        if (v !== '127.0.0.1') {
          throw new LiveUsageError(
            `refusing to listen on "${v}": the live capture bridge only ever listens on 127.0.0.1 (loopback), ` +
              'so that nobody else on the network can watch the capture. Open the page on this machine.',
          );
        }
        break;
      }
      case '--buffer': {
        const v = val();
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new LiveUsageError(`invalid buffer size "${v}" (MiB)`);
        o.bufferBytes = Math.round(n * 1048576);
        break;
      }
      case '--app-dir':
        o.appDir = resolve(val());
        break;
      case '-h':
      case '--help':
        throw new LiveUsageError(LIVE_USAGE);
      default:
        if (a.startsWith('-')) throw new LiveUsageError(`unknown option "${a}"\n\n${LIVE_USAGE}`);
        // a bare argument is taken as (part of) the capture filter, as tcpdump does
        o.filter = o.filter ? `${o.filter} ${a}` : a;
    }
  }
  if (!o.iface) o.iface = loopbackName();
  return o;
}

// -----------------------------------------------------------------------------------------------
// the pcap stream, cut into whole records

/**
 * Splits a pcap byte stream into its file header and whole records, so that every WebSocket
 * message holds whole records and late joiners can be given a prefix that parses. A stream that
 * is not pcap (e.g. pcapng) is passed through unsplit.
 */
export class PcapFramer {
  header: Buffer | null = null;
  private pending: Buffer = Buffer.alloc(0);
  private le = true;
  /** not a pcap stream: bytes are passed on as they come */
  passthrough = false;

  /** Feed bytes; returns the complete records (or raw bytes in passthrough) now available. */
  push(chunk: Buffer): Buffer[] {
    if (this.passthrough) return [chunk];
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: Buffer[] = [];
    let off = 0;
    if (!this.header) {
      if (this.pending.length < 24) return out;
      const magic = this.pending.readUInt32BE(0);
      if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) this.le = false;
      else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) this.le = true;
      else {
        this.passthrough = true;
        const all = this.pending;
        this.pending = Buffer.alloc(0);
        return [all];
      }
      this.header = Buffer.from(this.pending.subarray(0, 24));
      off = 24;
    }
    const p = this.pending;
    const start = off;
    while (off + 16 <= p.length) {
      const capLen = this.le ? p.readUInt32LE(off + 8) : p.readUInt32BE(off + 8);
      if (off + 16 + capLen > p.length) break;
      off += 16 + capLen;
    }
    if (off > start) out.push(Buffer.from(p.subarray(start, off)));
    this.pending = off < p.length ? Buffer.from(p.subarray(off)) : Buffer.alloc(0);
    return out;
  }
}

// -----------------------------------------------------------------------------------------------
// the HTTP + WebSocket server

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'";

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.pcap': 'application/vnd.tcpdump.pcap',
  '.pcapng': 'application/octet-stream',
  '.wasm': 'application/wasm',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** A client whose unsent data grows past this is too slow to follow the capture: it is dropped. */
const MAX_BUFFERED = 64 << 20;
/** Late joiners get the history in messages of about this size. */
const HISTORY_CHUNK = 1 << 20;

export interface BridgeOptions {
  appDir: string;
  token?: string;
  bufferBytes?: number;
  /** sent to each client as a text message first (interface, filter) */
  info?: Record<string, string>;
  log?: (s: string) => void;
}

export class Bridge {
  readonly token: string;
  port = 0;
  private server: Server;
  private wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private framer = new PcapFramer();
  private history: Buffer[] = [];
  private historyBytes = 0;
  private dropped = 0;
  private readonly bufferBytes: number;
  private ended: { code: number; reason: string } | null = null;
  readonly clients = new Set<WebSocket>();

  constructor(private readonly opts: BridgeOptions) {
    this.token = opts.token ?? randomBytes(16).toString('hex');
    this.bufferBytes = opts.bufferBytes ?? 256 << 20;
    this.server = createServer((req, res) => this.serve(req, res));
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
  }

  /** Listen on 127.0.0.1 (never anything else); port 0 = any free port. */
  listen(port: number): Promise<number> {
    return new Promise((res, rej) => {
      this.server.once('error', rej);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', rej);
        const a = this.server.address();
        this.port = typeof a === 'object' && a ? a.port : port;
        res(this.port);
      });
    });
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}/${this.token}`;
  }

  get pageUrl(): string {
    return `http://127.0.0.1:${this.port}/#live=${this.wsUrl}`;
  }

  /** The Host header must name this server (keeps DNS-rebinding pages out). */
  private hostOk(req: IncomingMessage): boolean {
    const h = (req.headers.host ?? '').toLowerCase();
    return h === `127.0.0.1:${this.port}` || h === `localhost:${this.port}`;
  }

  private tokenOk(path: string): boolean {
    const want = Buffer.from(`/${this.token}`);
    const got = Buffer.from(path);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '').split('?')[0]!;
    const origin = req.headers.origin;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${this.port}` || origin === `http://localhost:${this.port}`;
    if (!this.hostOk(req) || !originOk || !this.tokenOk(path)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nForbidden\n');
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.join(ws));
  }

  private join(ws: WebSocket): void {
    this.clients.add(ws);
    ws.on('close', () => this.clients.delete(ws));
    ws.on('error', () => this.clients.delete(ws));
    ws.on('message', () => {
      /* the page sends nothing; anything it sends is ignored */
    });
    if (this.opts.info) ws.send(JSON.stringify({ wirelens: 'live', ...this.opts.info }));
    // the file header and what was captured so far, in whole records
    if (this.framer.header) {
      let batch: Buffer[] = [this.framer.header];
      let n = this.framer.header.length;
      for (const b of this.history) {
        if (n + b.length > HISTORY_CHUNK && batch.length) {
          ws.send(Buffer.concat(batch));
          batch = [];
          n = 0;
        }
        batch.push(b);
        n += b.length;
      }
      if (batch.length) ws.send(Buffer.concat(batch));
    } else if (this.framer.passthrough) {
      for (const b of this.history) ws.send(b);
    }
    if (this.ended) ws.close(this.ended.code, this.ended.reason);
  }

  /** Bytes from the capture program's stdout. */
  push(chunk: Buffer): void {
    const hadHeader = !!this.framer.header;
    const parts = this.framer.push(chunk);
    const msgs: Buffer[] = [];
    if (!hadHeader && this.framer.header) msgs.push(this.framer.header);
    for (const p of parts) {
      msgs.push(p);
      this.history.push(p);
      this.historyBytes += p.length;
    }
    // keep the history bounded (whole records, oldest first; not in passthrough, where bytes must stay contiguous)
    while (!this.framer.passthrough && this.historyBytes > this.bufferBytes && this.history.length) {
      this.historyBytes -= this.history.shift()!.length;
      if (this.dropped++ === 0) this.opts.log?.(`Note: more than ${Math.round(this.bufferBytes / 1048576)} MiB captured; pages opened from now on start later in the capture.`);
    }
    if (!msgs.length) return;
    const data = msgs.length === 1 ? msgs[0]! : Buffer.concat(msgs);
    for (const ws of this.clients) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        ws.close(1011, 'the page could not keep up with the capture');
        continue;
      }
      ws.send(data);
    }
  }

  /** The capture ended: tell every page (1000 = normally, 1011 = the capture failed). */
  end(code: number, reason: string): void {
    // a close reason is at most 123 bytes
    let r = reason;
    while (Buffer.byteLength(r) > 120) r = r.slice(0, -2);
    if (r !== reason) r += '…';
    this.ended = { code, reason: r };
    for (const ws of this.clients) ws.close(code, r);
  }

  close(): Promise<void> {
    for (const ws of this.clients) ws.terminate();
    return new Promise((res) => {
      this.server.close(() => res());
      this.server.closeAllConnections();
    });
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    const headers: Record<string, string> = {
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    if (!this.hostOk(req)) {
      res.writeHead(403, { ...headers, 'Content-Type': 'text/plain' }).end('Forbidden\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400, headers).end();
      return;
    }
    const root = resolve(this.opts.appDir);
    const file = resolve(root, '.' + (path.endsWith('/') ? path + 'index.html' : path));
    if ((file !== root && !file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': String(body.length) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }
}

// -----------------------------------------------------------------------------------------------
// the page, built on demand

/** The repository root (where package.json names wirelens), from this module's location. */
export function repoRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  let d = from;
  for (;;) {
    const p = join(d, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'wirelens') return d;
      } catch {
        /* keep looking */
      }
    }
    const up = dirname(d);
    if (up === d) throw new Error('cannot find the Wirelens directory (package.json)');
    d = up;
  }
}

function newest(p: string): number {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(p)) t = Math.max(t, newest(join(p, e)));
  return t;
}

/** dist/ when it is newer than the sources, else a build in node_modules/.cache (made now if needed). */
export function ensureApp(root: string, log: (s: string) => void): string {
  const srcTime = Math.max(
    newest(join(root, 'src')),
    newest(join(root, 'public')),
    newest(join(root, 'index.html')),
    newest(join(root, 'vite.config.ts')),
  );
  const fresh = (dir: string) => existsSync(join(dir, 'index.html')) && statSync(join(dir, 'index.html')).mtimeMs >= srcTime;
  const dist = join(root, 'dist');
  if (fresh(dist)) return dist;
  const cache = join(root, 'node_modules', '.cache', 'wirelens', 'app');
  if (fresh(cache)) return cache;
  log('Building the Wirelens page (once, after each change of the sources)…');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--outDir', cache, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0 || !existsSync(join(cache, 'index.html'))) throw new Error('building the page failed (see above)');
  return cache;
}

// -----------------------------------------------------------------------------------------------
// the capture program

function onPath(cmd: string, path = process.env.PATH ?? ''): string | null {
  for (const d of path.split(delimiter)) {
    if (!d) continue;
    const p = join(d, cmd);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

export interface CaptureCommand {
  tool: 'tcpdump' | 'dumpcap';
  path: string;
  args: string[];
}

/**
 * tcpdump (pcap on stdout, each packet flushed at once), else dumpcap in pcap mode; null when neither
 * is installed. `searchPath` replaces $PATH (and the usual sbin places, which a user's PATH may lack).
 */
export function captureCommand(iface: string, filter: string, searchPath?: string): CaptureCommand | null {
  const tcpdump =
    onPath('tcpdump', searchPath) ?? (searchPath === undefined ? ['/usr/sbin/tcpdump', '/usr/bin/tcpdump'].find((p) => existsSync(p)) : undefined);
  if (tcpdump) {
    const args = ['-U', '--immediate-mode', '-w', '-', '-i', iface];
    if (filter) args.push(filter);
    return { tool: 'tcpdump', path: tcpdump, args };
  }
  const dumpcap = onPath('dumpcap', searchPath);
  if (dumpcap) {
    const args = ['-q', '-P', '-w', '-', '-i', iface];
    if (filter) args.push('-f', filter);
    return { tool: 'dumpcap', path: dumpcap, args };
  }
  return null;
}

export const HOW_TO_INSTALL = `tcpdump is not installed (nor Wireshark's dumpcap). Install it, e.g.:
  sudo apt-get install tcpdump      (Debian, Ubuntu)
  sudo dnf install tcpdump          (Fedora)
  brew install tcpdump              (macOS; or use the system's /usr/sbin/tcpdump)`;

export function howToGetPermission(tool: string, path: string): string {
  return `${tool} may not capture packets as this user. Either run the bridge with sudo:
  sudo npx wirelens live …
or allow ${tool} to capture without root (Linux):
  sudo setcap cap_net_raw,cap_net_admin=eip ${path}
(for dumpcap, Debian's "sudo dpkg-reconfigure wireshark-common" and "sudo usermod -aG wireshark $USER" do it).`;
}

const PERMISSION = /permission|not permitted|Operation not permitted|EPERM|You don't have/i;

// -----------------------------------------------------------------------------------------------
// the command

export interface LiveIO {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: LiveIO = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/**
 * Runs `wirelens live`; resolves with the exit code once it has stopped. `searchPath` (tests) is where
 * to look for tcpdump instead of $PATH; `onListening` is told the bridge once it is capturing.
 */
export async function live(argv: string[], io: LiveIO = stdio, test: { searchPath?: string; onListening?: (b: Bridge) => void } = {}): Promise<number> {
  let o: LiveOptions;
  try {
    o = parseLiveArgs(argv);
  } catch (e) {
    if (e instanceof LiveUsageError) {
      const help = e.message === LIVE_USAGE;
      (help ? io.out : io.err)(`${help ? '' : 'wirelens live: '}${e.message}\n`);
      return help ? 0 : 2;
    }
    throw e;
  }

  const cmd = captureCommand(o.iface, o.filter, test.searchPath);
  if (!cmd) {
    io.err(`wirelens live: ${HOW_TO_INSTALL}\n`);
    return 2;
  }

  let appDir: string;
  try {
    appDir = o.appDir ?? ensureApp(repoRoot(), (s) => io.err(s + '\n'));
    if (!existsSync(join(appDir, 'index.html'))) throw new Error(`${appDir} has no index.html`);
  } catch (e) {
    io.err(`wirelens live: cannot serve the page: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }

  const bridge = new Bridge({
    appDir,
    bufferBytes: o.bufferBytes,
    info: { interface: o.iface, filter: o.filter },
    log: (s) => io.err(s + '\n'),
  });
  try {
    await bridge.listen(o.port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.err(`wirelens live: cannot listen on 127.0.0.1:${o.port}${code === 'EADDRINUSE' ? ' (the port is in use; choose another with --port, or 0 for any)' : ''}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }

  let child: ChildProcess;
  try {
    child = spawn(cmd.path, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    await bridge.close();
    io.err(`wirelens live: cannot start ${cmd.tool}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }

  return new Promise<number>((done) => {
    let stderr = '';
    let announced = false;
    let stopping = false;
    let finished = false;
    const finish = async (code: number) => {
      if (finished) return;
      finished = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      await bridge.close();
      done(code);
    };
    const announce = () => {
      if (announced) return;
      announced = true;
      test.onListening?.(bridge);
      io.out(
        `Wirelens live capture on ${o.iface}${o.filter ? ` (filter: ${o.filter})` : ''} with ${cmd.tool}.\n` +
          `Open this address in a browser on this machine (it holds the access token):\n\n  ${bridge.pageUrl}\n\nPress Ctrl+C to stop.\n`,
      );
    };
    const stop = () => {
      if (stopping) return;
      stopping = true;
      io.err('\nStopping the capture…\n');
      bridge.end(1000, 'wirelens live was stopped');
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);

    child.stdout!.on('data', (b: Buffer) => {
      announce();
      bridge.push(b);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => {
      stderr += s;
      if (stderr.length > 8192) stderr = stderr.slice(-8192);
      // tcpdump: "listening on lo, link-type …"; dumpcap: "Capturing on 'lo'"
      if (/listening on|Capturing on/i.test(stderr)) announce();
    });
    child.on('error', (e) => {
      io.err(`wirelens live: cannot start ${cmd.tool}: ${e.message}\n`);
      bridge.end(1011, `${cmd.tool} could not be started`);
      void finish(1);
    });
    child.on('close', (code, signal) => {
      const last = stderr.trim().split('\n').filter((l) => !/^\d+ packets? (captured|received|dropped)/.test(l)).pop() ?? '';
      if (stopping) {
        io.err('Capture stopped.\n');
        void finish(0);
        return;
      }
      if (!announced || PERMISSION.test(stderr)) {
        io.err(`wirelens live: ${cmd.tool} failed${code !== null ? ` (exit code ${code})` : ` (${signal})`}:\n${stderr.trim()}\n\n`);
        if (PERMISSION.test(stderr)) io.err(howToGetPermission(cmd.tool, cmd.path) + '\n');
        else if (/no such device|doesn't exist|No such interface/i.test(stderr)) io.err(`There is no interface "${o.iface}". The interfaces are: ${Object.keys(networkInterfaces()).join(', ')}\n`);
      } else {
        io.err(`wirelens live: ${cmd.tool} exited${code !== null ? ` with code ${code}` : ` (${signal})`}${last ? `: ${last}` : ''}\n`);
      }
      bridge.end(code === 0 ? 1000 : 1011, `${cmd.tool} exited${code ? ` with code ${code}` : ''}${last ? `: ${last}` : ''}`);
      // give the pages a moment to receive the close frame
      setTimeout(() => void finish(code === 0 ? 0 : 1), 200);
    });
  });
}
