// Follow TCP / UDP stream (issue 5): the shortcut and the menus open it on the selected packet's stream,
// the list is filtered on the stream, client and server text have different colours, the three views,
// one direction only, and clicking a chunk selects its packet.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS, openApp, ui, watchErrors } from './helpers';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/captures/', import.meta.url));

/** tshark -r public/samples/http-get.pcap -Y "tcp.stream eq 0" | wc -l */
const SAMPLE_STREAM0 = 12;
/**
 * The first chunk of `tshark -q -z follow,tcp,raw,0` on the sample (the request), and the first bytes of
 * the response: our Raw view shows the same hex.
 */
const RAW_REQUEST_START = '474554202f20485454502f312e310d0a486f73743a203132372e302e302e313a';

function followDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Follow TCP Stream (tcp.stream eq 0)' });
}

test('Ctrl+Alt+Shift+T follows the HTTP stream: request and response in two colours, filter applied', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await u.row(4).click();
  await expect(u.items.first()).toHaveText(/^Frame 4:/);
  await page.keyboard.press('Control+Alt+Shift+T');
  const d = followDialog(page);
  await expect(d).toBeVisible();

  // the list is filtered on the stream
  await expect(u.filter).toHaveValue('tcp.stream eq 0');
  await expect(u.status).toContainText(`Displayed: ${SAMPLE_STREAM0}`);

  const request = d.locator('.fl', { hasText: 'GET / HTTP/1.1' });
  const response = d.locator('.fl', { hasText: 'HTTP/1.0 200 OK' });
  await expect(request).toHaveAttribute('data-dir', 'client');
  await expect(response).toHaveAttribute('data-dir', 'server');
  const colour = (el: typeof request) => el.evaluate((e) => getComputedStyle(e).color);
  const [c1, c2] = [await colour(request), await colour(response)];
  expect(c1).not.toBe(c2);
  const bg = (el: typeof request) => el.evaluate((e) => getComputedStyle(e).backgroundColor);
  expect(await bg(request)).not.toBe(await bg(response));

  // Wireshark's summary and the legend
  await expect(d.getByTestId('follow-summary')).toHaveText('1 client pkt, 2 server pkts, 1 turn.');
  await expect(d.locator('.legend-item.c2s')).toContainText('127.0.0.1:43874 → 127.0.0.1:11699');
  await expect(d.locator('.legend-item.c2s')).toContainText('1 packet, 79 bytes');
  await expect(d.locator('.legend-item.s2c')).toContainText('2 packets, 419 bytes');
  // the legend uses the same colours as the text
  expect(await d.locator('.legend-item.c2s').evaluate((e) => getComputedStyle(e).color)).toBe(c1);
  expect(await d.locator('.legend-item.s2c').evaluate((e) => getComputedStyle(e).color)).toBe(c2);

  // clicking a chunk selects its packet in the list, the tree and the bytes
  await response.click();
  await expect(u.row(6)).toHaveAttribute('aria-selected', 'true');
  await expect(u.items.first()).toHaveText(/^Frame 6:/);
  await d.locator('.fl', { hasText: '<h1>Hello from python3' }).click();
  await expect(u.row(8)).toHaveAttribute('aria-selected', 'true');

  // Close keeps the filter
  await d.getByRole('button', { name: 'Close', exact: true }).first().click();
  await expect(d).toHaveCount(0);
  await expect(u.filter).toHaveValue('tcp.stream eq 0');
  errs.check();
});

test('views (ASCII, Hex Dump, Raw) and one direction only; Back restores the previous filter', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  await u.filter.fill('frame.len > 60');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 12');
  await u.row(1).click();
  await page.getByRole('button', { name: 'Analyze' }).click();
  await page.getByRole('menuitem', { name: /Follow TCP Stream/ }).click();
  const d = followDialog(page);
  await expect(d).toBeVisible();
  const lines = d.locator('.fl');
  await expect(lines.first()).toHaveText('GET / HTTP/1.1');

  await d.getByRole('radio', { name: 'Hex Dump' }).click();
  await expect(d.getByRole('radio', { name: 'Hex Dump' })).toHaveAttribute('aria-checked', 'true');
  await expect(lines.first()).toHaveText(/^00000000 {2}47 45 54 20 2f 20 48 54 {2}54 50 2f 31 2e 31 0d 0a {2}GET \/ HTTP\/1\.1\.\.$/);

  await d.getByRole('radio', { name: 'Raw' }).click();
  await expect(lines.first()).toHaveText(RAW_REQUEST_START);

  // server → client only: no client line left
  await d.getByRole('combobox', { name: 'Show data from' }).selectOption({ label: '127.0.0.1:11699 → 127.0.0.1:43874 (419 bytes)' });
  await expect(d.locator('.fl[data-dir="client"]')).toHaveCount(0);
  await expect(lines.first()).toHaveText(/^485454502f312e3020323030204f4b0d0a/);
  await d.getByRole('radio', { name: 'ASCII' }).click();
  await expect(lines.first()).toHaveText('HTTP/1.0 200 OK');

  await d.getByRole('button', { name: 'Back' }).click();
  await expect(d).toHaveCount(0);
  await expect(u.filter).toHaveValue('frame.len > 60');
  await expect(u.status).toContainText('Displayed: 12');
});

test('the packet context menu offers Follow TCP Stream; Follow UDP Stream only for UDP packets', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  await u.row(2).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Packet' });
  await expect(menu.getByRole('menuitem', { name: /Follow TCP Stream/ })).not.toHaveAttribute('aria-disabled', 'true');
  await expect(menu.getByRole('menuitem', { name: /Follow UDP Stream/ })).toHaveAttribute('aria-disabled', 'true');
  await expect(menu.getByRole('menuitem', { name: /Follow TCP Stream/ })).toContainText('Ctrl+Alt+Shift+T');
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  await u.row(2).click({ button: 'right' });
  await menu.getByRole('menuitem', { name: /Follow TCP Stream/ }).click();
  await expect(followDialog(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(followDialog(page)).toHaveCount(0);
});

test('Follow UDP Stream on a DNS capture matches tshark’s follow,udp,raw', async ({ page }) => {
  const path = existsSync(`${CORPUS}/public/tcpdump__dns_udp.pcap`) ? `${CORPUS}/public/tcpdump__dns_udp.pcap` : `${FIXTURES}tcpdump__dns_udp.pcap`;
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles(path);
  await expect(u.status).toContainText('Packets: 2 · Displayed: 2');
  await u.row(1).click();
  await expect(u.items.first()).toHaveText(/^Frame 1:/);
  await page.keyboard.press('Control+Alt+Shift+U');
  const d = page.getByRole('dialog', { name: 'Follow UDP Stream (udp.stream eq 0)' });
  await expect(d).toBeVisible();
  await d.getByRole('radio', { name: 'Raw' }).click();
  let want: string[] | null = null;
  try {
    // tshark -q -z follow,udp,raw,0: one hex line per datagram, the server's indented
    const out = execFileSync('tshark', ['-r', path, '-q', '-z', 'follow,udp,raw,0'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    want = out.split('\n').filter((l) => /^\t?[0-9a-f]+$/.test(l));
  } catch {
    want = null; // no tshark here: the checks below still hold
  }
  const got = await d.locator('.fl').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-dir') === 'server' ? '\t' : ''}${e.textContent}`));
  // our raw lines wrap every 32 bytes: join the lines of each datagram
  const joined: string[] = [];
  for (const g of got) {
    const dir = g.startsWith('\t');
    const prev = joined[joined.length - 1];
    if (prev !== undefined && prev.startsWith('\t') === dir && prev.replace('\t', '').length % 64 === 0) joined[joined.length - 1] = prev + g.replace('\t', '');
    else joined.push(g);
  }
  expect(joined.length).toBe(2);
  if (want) expect(joined).toEqual(want);
  await expect(d.getByTestId('follow-summary')).toHaveText('1 client pkt, 1 server pkt, 1 turn.');
  await expect(u.filter).toHaveValue('udp.stream eq 0');
});

test('Info keeps tshark’s runs of spaces', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const info = u.row(8).getByRole('gridcell').last();
  // tshark (one pass and -2): "HTTP/1.0 200 OK  (text/html)", two spaces
  await expect(info).toHaveText('HTTP/1.0 200 OK  (text/html)', { useInnerText: true });
  expect(await info.evaluate((e) => getComputedStyle(e).whiteSpace)).toBe('pre');
  // rendered, the two spaces take two space widths: wider than the same text with one space
  const widths = await info.evaluate((e) => {
    const probe = e.cloneNode() as HTMLElement;
    probe.style.position = 'absolute';
    probe.style.width = 'auto';
    e.parentElement!.appendChild(probe);
    probe.textContent = 'HTTP/1.0 200 OK  (text/html)';
    const two = probe.getBoundingClientRect().width;
    probe.textContent = 'HTTP/1.0 200 OK (text/html)';
    const one = probe.getBoundingClientRect().width;
    probe.remove();
    return { one, two };
  });
  expect(widths.two).toBeGreaterThan(widths.one + 1);
});
