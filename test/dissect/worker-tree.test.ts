// The worker's side of the tree menu and the preferences: tree nodes carry their filter and value texts, and an
// open request's prefs (checksum validation) change the dissection of that capture and of later opens.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkerSession, type SessionHost } from '../../src/worker/session';
import type { Request, RequestBody, Response, TreeNode } from '../../src/worker/protocol';

const SAMPLE = new Uint8Array(readFileSync(new URL('../../public/samples/http-get.pcap', import.meta.url)));

function harness() {
  const out: Response[] = [];
  const queue: (() => void)[] = [];
  const host: SessionHost = { post: (m) => out.push(m), schedule: (fn) => queue.push(fn), now: () => 0 };
  const s = new WorkerSession(host, { sliceMs: 1e9 });
  let id = 0;
  const send = (r: RequestBody) => s.handle({ ...r, id: ++id } as Request);
  const drain = () => {
    while (queue.length) queue.shift()!();
  };
  /** open the sample (optionally with prefs), load it, and return frame `n`'s tree */
  const tree = async (n: number, open?: Partial<Extract<Request, { type: 'open' }>>): Promise<TreeNode[]> => {
    if (open) {
      await send({ type: 'open', file: new Blob([SAMPLE as BlobPart]), name: 'http-get.pcap', ...open });
      drain();
    }
    send({ type: 'select', frame: n });
    const pkt = out.filter((m): m is Extract<Response, { type: 'packet' }> => m.type === 'packet').at(-1)!;
    return pkt.tree;
  };
  return { tree };
}

function find(nodes: readonly TreeNode[], pred: (n: TreeNode) => boolean): TreeNode | undefined {
  for (const n of nodes) {
    if (pred(n)) return n;
    const c = n.children && find(n.children, pred);
    if (c) return c;
  }
  return undefined;
}

describe('worker tree nodes', () => {
  it('carry the Apply-as-Filter and Copy-Value texts', async () => {
    const nodes = await harness().tree(4, {});
    const by = (abbrev: string) => find(nodes, (n) => n.abbrev === abbrev)!;
    expect(by('tcp')).toMatchObject({ filter: 'tcp' });
    expect(by('tcp')).not.toHaveProperty('value');
    expect(by('tcp.window_size_value')).toMatchObject({ label: 'Window: 64', filter: 'tcp.window_size_value == 64', value: '64' });
    expect(by('ip.src')).toMatchObject({ filter: 'ip.src == 127.0.0.1', value: '127.0.0.1' });
    expect(by('ip.proto')).toMatchObject({ filter: 'ip.proto == 6', value: 'TCP (6)' });
    expect(by('http.request.method')).toMatchObject({ filter: 'http.request.method == "GET"' });
    // a text line in the frame: matched by its bytes
    expect(find(nodes, (n) => n.label === 'GET / HTTP/1.1\\r\\n')!.filter).toBe('frame[66:16] == 47:45:54:20:2f:20:48:54:54:50:2f:31:2e:31:0d:0a');
  });

  it('open prefs turn checksum validation on, for that open and the next ones', async () => {
    const h = harness();
    const label = (nodes: TreeNode[]) => find(nodes, (n) => n.abbrev === 'ip.checksum')!.label;
    expect(label(await h.tree(1, {}))).toBe('Header Checksum: 0x81c1 [validation disabled]');
    expect(label(await h.tree(1, { prefs: { ipCheckChecksum: true } }))).toBe('Header Checksum: 0x81c1 [correct]');
    expect(find(await h.tree(1), (n) => n.abbrev === 'ip.checksum.status')!.label).toBe('[Header checksum status: Good]');
    // an open without prefs keeps the last ones
    expect(label(await h.tree(1, { name: 'again.pcap' }))).toBe('Header Checksum: 0x81c1 [correct]');
    expect(label(await h.tree(1, { prefs: { ipCheckChecksum: false } }))).toBe('Header Checksum: 0x81c1 [validation disabled]');
  });
});
