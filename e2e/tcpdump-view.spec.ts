// View › tcpdump -n format: the packet list shows each packet as `tcpdump -n -r FILE` prints it (compared with
// the real tcpdump, run here with TZ=UTC in a browser set to UTC), stays filtered, selectable and virtualised,
// is remembered across a reload, and turns off again.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SAMPLE, openApp, ui, watchErrors } from './helpers';

const BIG = fileURLToPath(new URL('../test/fixtures/captures/05_http_download_2mb_netns.pcap', import.meta.url));
const haveTcpdump = spawnSync('tcpdump', ['--version'], { stdio: 'ignore' }).status === 0;

/** What tcpdump prints for the file, line by line. */
function tcpdump(file: string): string[] {
  const out = execFileSync('tcpdump', ['-n', '-r', file], { env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26 });
  return out.toString('latin1').split('\n').filter(Boolean);
}

async function toggle(page: Page, name: string | RegExp = 'tcpdump -n format') {
  await page.getByRole('button', { name: 'View' }).click();
  await page.getByRole('menuitem', { name }).click();
}

const cell = (page: Page, rowIndex: number) => ui(page).row(rowIndex).getByRole('gridcell').nth(1);

test.use({ timezoneId: 'UTC' });
test.skip(!haveTcpdump, 'tcpdump is not installed (apt-get install tcpdump)');

test('View › tcpdump -n format shows the lines tcpdump prints, filtered and selectable, and turns off', async ({ page }) => {
  const errs = watchErrors(page);
  await page.goto('/');
  await page.evaluate(() => localStorage.removeItem('wirelens.tcpdumpList'));
  await openApp(page);
  const u = ui(page);
  const want = tcpdump(SAMPLE);
  expect(want).toHaveLength(12);

  await toggle(page);
  await expect(u.list.getByRole('columnheader')).toHaveText(['No.', 'tcpdump -n']);
  await expect(u.list).toHaveAttribute('aria-colcount', '2');
  // the SYN, exactly as tcpdump prints it (absolute sequence number, options), then every other packet
  await expect(cell(page, 1)).toHaveText(want[0]!);
  expect(want[0]).toMatch(/Flags \[S\], seq \d+, win \d+, options \[mss \d+,sackOK,TS val \d+ ecr 0,nop,wscale \d+\], length 0$/);
  for (let i = 1; i <= 12; i++) await expect(cell(page, i)).toHaveText(want[i - 1]!);
  await expect(u.row(1).getByRole('gridcell').first()).toHaveText('1');
  // monospace, like a terminal
  expect(await cell(page, 1).evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono/i);

  // the keyboard selects rows as in the column view; the tree follows
  await u.row(4).click();
  await expect(u.row(4)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowDown');
  await expect(u.row(5)).toHaveAttribute('aria-selected', 'true');
  await expect(u.items.first()).toContainText('Frame 5:');

  // the display filter still picks the rows
  await u.filter.fill('tcp.flags.syn == 1');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 2');
  await expect(u.rows).toHaveCount(2);
  await expect(cell(page, 1)).toHaveText(want[0]!);
  await expect(cell(page, 2)).toHaveText(want[1]!);

  // remembered across a reload
  await page.reload();
  await expect(u.status).toContainText('Packets: 12');
  await expect(u.list.getByRole('columnheader')).toHaveText(['No.', 'tcpdump -n']);

  // and off again: the columns are back
  await toggle(page);
  await expect(u.list.getByRole('columnheader', { name: 'Source' })).toBeVisible();
  await expect(u.list).toHaveAttribute('aria-colcount', '7');
  await expect(u.row(1).getByRole('gridcell').nth(2)).toHaveText('127.0.0.1');
  expect(await page.evaluate(() => localStorage.getItem('wirelens.tcpdumpList'))).toBeNull();
  errs.check();
});

test('a long capture: rows far down come in windows, with tcpdump\'s relative sequence numbers', async ({ page }) => {
  test.setTimeout(60_000);
  const errs = watchErrors(page);
  await page.addInitScript(() => localStorage.setItem('wirelens.tcpdumpList', '1'));
  await page.goto('/');
  const u = ui(page);
  await u.fileInput.setInputFiles(BIG);
  await expect(u.status).toContainText('Packets: 2,490 ·');
  const want = tcpdump(BIG);
  await expect(cell(page, 1)).toHaveText(want[0]!);
  // virtualised: only the rows on screen exist
  expect(await u.rows.count()).toBeLessThan(100);
  await u.row(1).click();
  await page.keyboard.press('End');
  await expect(u.row(2490)).toHaveAttribute('aria-selected', 'true');
  await expect(cell(page, 2490)).toHaveText(want[2489]!);
  await expect(cell(page, 2489)).toHaveText(want[2488]!);
  errs.check();
});

test('the View menu names it in Japanese', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('wirelens.lang', 'ja'));
  await page.goto('/');
  await expect(page.getByRole('grid', { name: 'パケット一覧' }).locator('[role="row"]:not([aria-rowindex="1"])')).toHaveCount(12);
  await page.getByRole('button', { name: '表示' }).click();
  await page.getByRole('menuitem', { name: 'tcpdump -n 形式で表示' }).click();
  await expect(page.getByRole('columnheader', { name: 'tcpdump -n の出力' })).toBeVisible();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`screenshot in the ${scheme} theme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.addInitScript(() => localStorage.setItem('wirelens.tcpdumpList', '1'));
    await openApp(page);
    await expect(cell(page, 12)).toHaveText(/Flags \[\.\], ack 81/);
    await ui(page).row(4).click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `/tmp/wirelens-tcpdump-${scheme}.png` });
  });
}
