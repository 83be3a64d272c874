// Packet-list colouring with Wireshark's default rules: a retransmission of a lossy capture is "Bad TCP"
// (dark background, red text), an HTTP request is "HTTP" green, and View → Colorize packet list turns the
// colours off (remembered across a reload).
import { test, expect, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ui, watchErrors } from './helpers';

const LOSSY = fileURLToPath(new URL('../test/fixtures/captures/20_tcp_loss_nosack_netns.pcap', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../test/fixtures/golden/20_tcp_loss_nosack_netns.pcap/filters.tsv', import.meta.url));

/** Frames tshark selects with a conformance filter on the lossy capture (from its golden answers). */
function tsharkFrames(filter: string): number[] {
  const line = readFileSync(GOLDEN, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(filter + '\t'))!;
  return line.split('\t')[1]!.split(',').map(Number);
}

// Wireshark 4.0's colorfilters: Bad TCP [4718,10030,11796] on [63479,34695,34695]; HTTP background [58596,65535,51143]
const BAD_TCP_BG = 'rgb(18, 39, 46)';
const BAD_TCP_FG = 'rgb(247, 135, 135)';
const HTTP_BG = 'rgb(228, 255, 199)';
const DARK_TEXT = 'rgb(18, 39, 46)';

const colours = (row: Locator) =>
  row.evaluate((el) => {
    const s = getComputedStyle(el);
    return { bg: s.backgroundColor, fg: s.color };
  });

async function open(page: Page) {
  const u = ui(page);
  await u.fileInput.setInputFiles(LOSSY);
  await expect(u.status).toContainText('Packets: 125 ·');
}

async function filter(page: Page, text: string, displayed: number) {
  const u = ui(page);
  await u.filter.fill(text);
  await u.filter.press('Enter');
  await expect(u.status).toContainText(`Displayed: ${displayed}`);
}

async function toggleColorize(page: Page) {
  await page.getByRole('button', { name: 'View' }).click();
  await page.getByRole('menuitem', { name: /Colorize packet list/i }).click();
}

test('rows get Wireshark colouring rules; View → Colorize packet list turns them off and is remembered', async ({ page }) => {
  test.setTimeout(90_000);
  const errs = watchErrors(page);
  await page.goto('/');
  await page.evaluate(() => localStorage.removeItem('wirelens.colorize'));
  await page.reload();
  await open(page);
  const u = ui(page);

  // a retransmission: Bad TCP
  const retrans = tsharkFrames('tcp.analysis.retransmission');
  expect(retrans.length).toBeGreaterThan(0);
  await filter(page, 'tcp.analysis.retransmission', retrans.length);
  const first = u.row(1);
  await expect(first.locator('[role="gridcell"]').first()).toHaveText(String(retrans[0]));
  await expect(first).toContainText('Retransmission]');
  expect(await colours(first)).toEqual({ bg: BAD_TCP_BG, fg: BAD_TCP_FG });
  await expect(first).toHaveAttribute('title', /^Coloring rule: Bad TCP/);

  // the HTTP request: HTTP green with dark text
  const http = tsharkFrames('http');
  await filter(page, 'http', http.length);
  await expect(u.row(1)).toContainText('GET /100000 HTTP/1.1');
  expect(await colours(u.row(1))).toEqual({ bg: HTTP_BG, fg: DARK_TEXT });

  // the whole list, coloured, in both themes (for a look)
  await filter(page, 'frame.number >= 30', 96);
  await page.screenshot({ path: '/tmp/h6-coloring-light.png' });
  await page.getByRole('button', { name: 'View' }).click();
  await page.getByRole('menuitem', { name: 'Dark' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: '/tmp/h6-coloring-dark.png' });
  // the rules' own colours in the dark theme too
  await filter(page, 'tcp.analysis.retransmission', retrans.length);
  expect(await colours(u.row(1))).toEqual({ bg: BAD_TCP_BG, fg: BAD_TCP_FG });

  // off: the row looks like any other row
  await toggleColorize(page);
  const off = await colours(u.row(1));
  expect(off.bg).not.toBe(BAD_TCP_BG);
  expect(off.fg).not.toBe(BAD_TCP_FG);
  await expect(u.row(1)).not.toHaveAttribute('title', /Coloring rule/);

  // remembered after a reload
  await page.reload();
  await open(page);
  await filter(page, 'tcp.analysis.retransmission', retrans.length);
  expect((await colours(u.row(1))).bg).not.toBe(BAD_TCP_BG);
  await toggleColorize(page);
  expect(await colours(u.row(1))).toEqual({ bg: BAD_TCP_BG, fg: BAD_TCP_FG });
  errs.check();
});
