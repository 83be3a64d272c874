// Opening captures: the embedded sample, the file input, drag and drop, gzip, and bad or cut-short files.
import { test, expect } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CORPUS, SAMPLE, TSHARK_COUNT, en, openApp, readBytes, ui, watchErrors, wholeRecords } from './helpers';

const BIG = 'generated/05_http_download_2mb_netns.pcap';

test('on start the embedded sample is shown', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12');
  await expect(u.status).toContainText(/Loaded in [\d.]+ m?s/);
  await expect(u.rows).toHaveCount(12);
  await expect(u.row(1)).toContainText('1');
  await expect(page).toHaveTitle('http-get.pcap — Wirelens');
  await expect(page.getByRole('button', { name: 'Open', exact: true })).toBeVisible();
  await expect(u.filter).toBeVisible();
  errs.check(); // includes Content-Security-Policy violations
});

test('a multi-thousand-frame capture chosen with the file input loads; End selects the last packet', async ({ page }) => {
  test.skip(!existsSync(`${CORPUS}/${BIG}`), 'capture corpus not present');
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  test.setTimeout(90_000);
  const n = TSHARK_COUNT[BIG]!; // tshark -r 05_http_download_2mb_netns.pcap | wc -l
  await u.fileInput.setInputFiles(`${CORPUS}/${BIG}`);
  // the first rows show while the rest loads
  await expect(u.row(1)).toBeVisible();
  // (one frame near the end completes a 2 MB HTTP reassembly and is slow to dissect)
  await expect(u.status).toContainText(`Packets: ${en(n)} · Displayed: ${en(n)}`, { timeout: 45_000 });
  await expect(page).toHaveTitle('05_http_download_2mb_netns.pcap — Wirelens');

  // only the visible rows are in the DOM
  expect(await u.rows.count()).toBeLessThan(120);

  await u.row(1).click();
  await expect(u.row(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  const last = u.row(n);
  await expect(last).toBeVisible();
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(last.getByRole('gridcell').first()).toHaveText(String(n));
  await expect(u.items.first()).toContainText(`Frame ${n}:`, { timeout: 20_000 });

  // and back: Home, then arrows and PageDown move the selection
  await page.keyboard.press('Home');
  await expect(u.row(1)).toBeVisible();
  await expect(u.row(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(u.row(2)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('PageDown');
  const sel = Number(await u.selectedRow.getAttribute('aria-rowindex')) - 1;
  expect(sel).toBeGreaterThan(10);
  await page.keyboard.press('ArrowUp');
  await expect(u.row(sel - 1)).toHaveAttribute('aria-selected', 'true');
  errs.check();
});

test('a lesson link about a file: its filter, which needs the TCP analysis, is applied as the file loads', async ({ page }) => {
  test.skip(!existsSync(`${CORPUS}/${BIG}`), 'capture corpus not present');
  test.setTimeout(90_000);
  const errs = watchErrors(page);
  const u = ui(page);
  // tshark -r 05_http_download_2mb_netns.pcap -Y tcp.analysis.flags (golden filters.tsv)
  const golden = readFileSync(fileURLToPath(new URL('../test/fixtures/golden/05_http_download_2mb_netns.pcap/filters.tsv', import.meta.url)), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('tcp.analysis.flags\t'))!
    .split('\t')[1]!
    .split(',');
  await page.goto('/#file=05_http_download_2mb_netns.pcap&filter=tcp.analysis.flags');
  await expect(page.getByText('This lesson link is about the file “05_http_download_2mb_netns.pcap”')).toBeVisible();
  // the link's filter is sent as soon as the file is open, while the first pass is still finding the flags
  await u.fileInput.setInputFiles(`${CORPUS}/${BIG}`);
  await expect(u.status).toContainText(`Packets: ${en(TSHARK_COUNT[BIG]!)} · Displayed: ${golden.length} `, { timeout: 45_000 });
  await expect(u.filter).toHaveValue('tcp.analysis.flags');
  await expect(u.rows).toHaveCount(golden.length);
  expect(await u.rows.locator('[role="gridcell"]:first-child').allTextContents()).toEqual(golden);
  errs.check();
});

test('a file that is not a capture shows why, and the capture already shown stays', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles({
    name: 'notes.zip',
    mimeType: 'application/zip',
    buffer: Buffer.from('504b0304140000000800b4a3ad5a00000000', 'hex'),
  });
  await expect(u.status).toContainText('not a pcap or pcapng file: first bytes 50 4b 03 04');
  await expect(u.status).toContainText('notes.zip');
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12');
  await expect(u.rows).toHaveCount(12);
  await expect(page).toHaveTitle('http-get.pcap — Wirelens');

  // a text file too
  await u.fileInput.setInputFiles({ name: 'readme.txt', mimeType: 'text/plain', buffer: Buffer.from('hello world\n') });
  await expect(u.status).toContainText('not a pcap or pcapng file: first bytes 68 65 6c 6c');
  await expect(u.rows).toHaveCount(12);
});

test('a capture cut short in the middle of a record shows its whole frames and says so', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const full = readBytes(SAMPLE);
  const cut = 1000;
  const { frames, midRecord } = wholeRecords(full, cut);
  expect(midRecord).toBe(true);
  expect(frames).toBeGreaterThan(0);
  await u.fileInput.setInputFiles({ name: 'cut.pcap', mimeType: 'application/octet-stream', buffer: full.subarray(0, cut) });
  await expect(u.status).toContainText(`Packets: ${frames} · Displayed: ${frames}`);
  await expect(u.status).toContainText(/cut short/);
  await expect(u.rows).toHaveCount(frames);
  await expect(page).toHaveTitle('cut.pcap — Wirelens');
});

test('a gzip-compressed capture opens (detected by its magic bytes)', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  // a made-up name without .gz: detection is by content
  await u.fileInput.setInputFiles({ name: 'sample-compressed.bin', mimeType: 'application/octet-stream', buffer: gzipSync(readBytes(SAMPLE)) });
  await expect(page).toHaveTitle('sample-compressed.bin — Wirelens');
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12');
  await expect(u.status).toContainText('gzip');

  const gz = 'public/scapy__http_chunk.pcap.gz';
  if (existsSync(`${CORPUS}/${gz}`)) {
    await u.fileInput.setInputFiles(`${CORPUS}/${gz}`);
    const n = TSHARK_COUNT[gz]!; // tshark -r scapy__http_chunk.pcap.gz | wc -l
    await expect(u.status).toContainText(`Packets: ${n} · Displayed: ${n}`);
  }
});

test('dropping a file anywhere on the window opens it', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const full = readBytes(SAMPLE);
  const { frames } = wholeRecords(full, 700);
  const dt = await page.evaluateHandle((b64) => {
    const bin = atob(b64);
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const d = new DataTransfer();
    d.items.add(new File([bytes], 'dropped.pcap', { type: 'application/octet-stream' }));
    return d;
  }, full.subarray(0, 700).toString('base64'));
  await page.dispatchEvent('.plist', 'dragenter', { dataTransfer: dt });
  await page.dispatchEvent('.plist', 'dragover', { dataTransfer: dt });
  await page.dispatchEvent('.details', 'drop', { dataTransfer: dt });
  await expect(page).toHaveTitle('dropped.pcap — Wirelens');
  await expect(u.status).toContainText(`Packets: ${frames} · Displayed: ${frames}`);
});
