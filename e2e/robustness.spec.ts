// Robustness (issue 9): the capture worker failing (an uncaught exception, a failed allocation) is reported in
// an alert and the page stays usable — the next file opens in a new worker; odd files open or are refused
// with a clear message; once loaded, the app works offline (service worker).
import { test, expect as baseExpect, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ui, watchErrors } from './helpers';

// The machine running these may be busy: generous timeouts (they only matter when something is wrong).
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

async function openApp(page: Page, path = '/') {
  await page.goto(path);
  await expect(ui(page).status).toContainText('Packets: 12 · Displayed: 12');
}
import { backwardsTimestamps, emptyPcap, emptyPcapng, jumboFrame, notACapture, pcapng100Interfaces, snaplenZero, sparseJumboPcap } from '../test/fuzz/odd-captures';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/captures/', import.meta.url));

async function openBytes(page: Page, name: string, bytes: Uint8Array) {
  await ui(page).fileInput.setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
}

/** Console errors the crash itself causes (the worker's uncaught exception is reported by the browser). */
const crashNoise = (e: string) => /test hook|Array buffer allocation|Invalid typed array length|Uncaught/.test(e);

for (const mode of ['throw', 'oom'] as const) {
  test(`the worker failing (${mode}) shows an alert; the next file opens in a new worker`, async ({ page }) => {
    const errs = watchErrors(page);
    await openApp(page, '/?test-hooks');
    const u = ui(page);
    await expect(u.rows).toHaveCount(12);
    await expect(page.getByRole('alert')).toHaveCount(0);

    await page.evaluate((m) => (window as unknown as { __wirelensTest: { crashWorker(m: string): void } }).__wirelensTest.crashWorker(m), mode);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('The capture worker stopped');
    await expect(alert).toContainText('Open the file again, or another one.');
    await expect(alert).toContainText('http-get.pcap');
    // the capture the dead worker held is gone, the page is still there and responsive
    await expect(u.rows).toHaveCount(0);
    await u.filter.fill('tcp');
    await expect(u.filter).toHaveValue('tcp');
    await u.filter.fill('');
    await page.screenshot({ path: `/tmp/h4-worker-crash-${mode}.png` });

    // open another file: a new worker reads it
    await u.fileInput.setInputFiles(`${FIXTURES}03_udp_hello.pcap`);
    await expect(u.status).toContainText('Packets: 3 · Displayed: 3');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await u.row(2).click();
    await expect(u.items.first()).toHaveText(/^Frame 2:/);
    // and it can fail and recover again
    await page.evaluate(() => (window as unknown as { __wirelensTest: { crashWorker(m: string): void } }).__wirelensTest.crashWorker('throw'));
    await expect(page.getByRole('alert')).toContainText('03_udp_hello.pcap');
    await u.fileInput.setInputFiles(`${FIXTURES}02_tcp_connection_refused.pcap`);
    await expect(u.status).toContainText('Packets: 2 · Displayed: 2');
    expect(errs.errors.filter((e) => !crashNoise(e))).toEqual([]);
  });
}

test('without ?test-hooks there is no crash hook', async ({ page }) => {
  await openApp(page);
  expect(await page.evaluate(() => typeof (window as unknown as { __wirelensTest?: unknown }).__wirelensTest)).toBe('undefined');
});

const ODD: { name: string; make: () => Uint8Array; packets?: number; refused?: RegExp; row?: RegExp }[] = [
  { name: 'jumbo_256k.pcap', make: jumboFrame, packets: 1, row: /^Frame 1: 262144 bytes on wire/ },
  { name: 'empty.pcap', make: emptyPcap, packets: 0 },
  { name: 'empty.pcapng', make: emptyPcapng, packets: 0 },
  { name: '100_interfaces.pcapng', make: pcapng100Interfaces, packets: 10, row: /^Frame 1: 39 bytes on wire/ },
  { name: 'backwards_time.pcap', make: backwardsTimestamps, packets: 5 },
  { name: 'snaplen_0.pcap', make: snaplenZero, packets: 3 },
  { name: 'not_a_capture.zip', make: notACapture, refused: /not a pcap or pcapng file: first bytes 50 4b 03 04/ },
];

test('odd files open, or are refused with a clear message', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  for (const f of ODD) {
    await openBytes(page, f.name, f.make());
    if (f.refused) {
      await expect(page.getByRole('alert')).toContainText(f.refused);
      await expect(page.getByRole('alert')).toContainText(f.name);
      continue;
    }
    await expect(u.status).toContainText(`Packets: ${f.packets} · Displayed: ${f.packets}`);
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(u.rows).toHaveCount(f.packets!);
    if (f.row) {
      await u.row(1).click();
      await expect(u.items.first()).toHaveText(f.row);
    }
  }
  // backwards time: the Time column shows negative offsets in file order
  await openBytes(page, 'backwards_time.pcap', backwardsTimestamps());
  await expect(u.status).toContainText('Packets: 5');
  await expect(u.row(2)).toContainText('-50.000000');
  errs.check();
});

test('a capture of over 2 GiB opens, and the packet past the 2 GiB mark shows its own bytes', async ({ page }) => {
  test.setTimeout(300_000);
  // 8,193 records of 256 KiB: 2.0 GiB, written sparse (only each record's first bytes are on disk)
  const dir = mkdtempSync(join(tmpdir(), 'wirelens-2g-'));
  const path = join(dir, 'over_2gib.pcap');
  const count = 8193;
  const fd = openSync(path, 'w');
  try {
    const size = sparseJumboPcap(count, (offset, bytes) => void writeSync(fd, bytes, 0, bytes.length, offset));
    ftruncateSync(fd, size);
    expect(size).toBeGreaterThan(2 ** 31);
  } finally {
    closeSync(fd);
  }
  try {
    const errs = watchErrors(page);
    await openApp(page);
    const u = ui(page);
    await u.fileInput.setInputFiles(path);
    await expect(u.status).toContainText(`Packets: ${count.toLocaleString('en-US')} · Displayed: ${count.toLocaleString('en-US')}`, { timeout: 120_000 });
    await expect(page.getByRole('alert')).toHaveCount(0);
    // the last packet starts 2,147,635,224 bytes in. End while the first pass reads the file back: its row
    // is there at once; its tree (which needs the pass up to it) follows once the pass gets there
    await u.row(1).click();
    await u.list.press('End');
    await expect(u.selectedRow).toHaveAttribute('aria-rowindex', String(count + 1));
    await expect(u.selectedRow).toContainText('18193 → 9');
    await expect(page.locator('.details')).toContainText('Frame 8193');
    await page.screenshot({ path: '/tmp/h9-2gib-end-pressed.png' });
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 150_000 });
    await expect(u.status).toContainText('Loaded in');
    await expect(u.items.first()).toHaveText(/^Frame 8193: 262144 bytes on wire/);
    await expect(u.tree).toContainText('Src Port: 18193');
    errs.check();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('offline: once loaded, the app reloads and opens a file without network', async ({ page, context }) => {
  await openApp(page);
  await test.step('the service worker takes control', async () => {
    // production builds register it; once active it controls the page (it claims open clients)
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
  });
  await context.setOffline(true);
  try {
    const u = ui(page);
    await test.step('reload offline: page, scripts, worker and sample come from the cache', async () => {
      await page.reload({ waitUntil: 'domcontentloaded' });
      await expect(u.status).toContainText('Packets: 12 · Displayed: 12');
    });
    await test.step('open a file from disk', async () => {
      await u.fileInput.setInputFiles(`${FIXTURES}03_udp_hello.pcap`);
      await expect(u.status).toContainText('Packets: 3 · Displayed: 3');
      await u.row(1).click();
      await expect(u.items.first()).toHaveText(/^Frame 1:/);
    });
    // really offline: the network is not reachable from the page
    expect(await page.evaluate(() => fetch('/sw-precache.json', { cache: 'no-store' }).then(() => 'online', () => 'offline'))).toBe('offline');
  } finally {
    await context.setOffline(false);
  }
});
