// Shared helpers for the e2e specs: the app's landmarks, and a little pcap arithmetic.
import { expect, type Page, type Locator } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SAMPLE = fileURLToPath(new URL('../public/samples/http-get.pcap', import.meta.url));
export const CORPUS = '/work/shared/captures';

/**
 * Packet counts of the captures the specs open, from tshark 4.0.17:
 *   tshark -r FILE | wc -l
 */
export const TSHARK_COUNT: Record<string, number> = {
  'generated/05_http_download_2mb_netns.pcap': 2490,
  'public/scapy__http_chunk.pcap.gz': 66,
  'samples/http-get.pcap': 12,
};

export function ui(page: Page) {
  const list = page.getByRole('grid', { name: 'Packet list' });
  return {
    list,
    /** data rows only (the header row has aria-rowindex 1) */
    rows: list.locator('[role="row"]:not([aria-rowindex="1"])'),
    selectedRow: list.locator('[role="row"][aria-selected="true"]'),
    row: (frameIndex: number): Locator => list.locator(`[role="row"][aria-rowindex="${frameIndex + 1}"]`),
    tree: page.getByRole('tree', { name: 'Packet details' }),
    items: page.getByRole('tree', { name: 'Packet details' }).getByRole('treeitem'),
    bytes: page.getByRole('region', { name: 'Packet bytes' }),
    selectedBytes: page.getByRole('region', { name: 'Packet bytes' }).locator('[role="gridcell"][aria-selected="true"]'),
    status: page.getByRole('status'),
    filter: page.getByRole('textbox', { name: 'Display filter' }),
    fileInput: page.locator('input[type="file"]'),
  };
}

/** Collects console errors, page errors and CSP violations; call check() at the end of a test. */
export function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return {
    errors,
    check: () => expect(errors, 'no console errors, page errors or CSP violations').toEqual([]),
  };
}

export async function openApp(page: Page) {
  await page.goto('/');
  await expect(ui(page).status).toContainText('Packets: 12 · Displayed: 12');
}

/** Byte length and whole-record count of the first `cut` bytes of a little-endian µs pcap file. */
export function wholeRecords(bytes: Uint8Array, cut: number): { frames: number; midRecord: boolean } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let off = 24;
  let frames = 0;
  while (off + 16 <= cut) {
    const capLen = dv.getUint32(off + 8, true);
    if (off + 16 + capLen > cut) break;
    off += 16 + capLen;
    frames++;
  }
  return { frames, midRecord: off !== cut };
}

export function readBytes(path: string): Buffer {
  return readFileSync(path);
}

export const en = (n: number) => n.toLocaleString('en-US');
