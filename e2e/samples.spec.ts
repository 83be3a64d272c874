// The Samples menu: each lesson capture opens from the menu and its list is the one tshark prints for the
// same file (Protocol and Info of every row shown); the Japanese menu names them in Japanese.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ui, watchErrors, openApp } from './helpers';

const dir = (f: string) => fileURLToPath(new URL(`../public/samples/${f}`, import.meta.url));

/** tshark's rows: [number, protocol, info] */
function tsharkRows(file: string): string[][] {
  const out = execFileSync('tshark', ['-r', dir(file), '-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return out
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

async function pick(page: Page, menu: string, item: string | RegExp) {
  await page.getByRole('button', { name: menu, exact: true }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

const SAMPLES: [string, string][] = [
  ['Connection refused: SYN → RST, ACK', 'tcp-refused.pcap'],
  ['UDP datagrams and port unreachable', 'udp-datagrams.pcap'],
  ['ICMP echo with IP fragmentation (MTU 500)', 'icmp-fragments.pcap'],
  ['Download with loss and retransmissions', 'tcp-loss.pcap'],
  ['DNS queries and answers', 'dns.pcap'],
  ['TLS ClientHello (SNI, ALPN)', 'tls-clienthello.pcap'],
  ['IPv6: Neighbor Discovery and HTTP', 'ipv6-http.pcap'],
  ['HTTP GET: handshake, request, FIN close', 'http-get.pcap'],
];

test('every sample opens from the Samples menu and lists what tshark lists', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const u = ui(page);
  await openApp(page);
  for (const [title, file] of SAMPLES) {
    const want = tsharkRows(file);
    await pick(page, 'Samples', title);
    await expect(u.status).toContainText(file);
    await expect(u.status).toContainText(`Packets: ${want.length} · Displayed: ${want.length}`);
    // the rows the list shows (the first screenful of a long capture)
    await expect(u.row(1)).toBeVisible();
    const shown = await u.rows.evaluateAll((rows) =>
      rows.map((r) => [r.querySelector('.col-num')?.textContent ?? '', r.querySelector('.col-protocol')?.textContent ?? '', r.querySelector('.col-info')?.textContent ?? '']),
    );
    expect(shown.length, file).toBeGreaterThan(Math.min(want.length, 10) - 1);
    for (const row of shown) expect(row, `${file} frame ${row[0]}`).toEqual(want[Number(row[0]) - 1]);
    // the menu marks the sample shown
    await page.getByRole('button', { name: 'Samples', exact: true }).click();
    await expect(page.getByRole('menuitem', { name: title })).toContainText(title);
    await page.keyboard.press('Escape');
  }
  errors.check();
});

test('a sample opened from the menu replaces the capture shown and can be linked to', async ({ page }) => {
  const u = ui(page);
  await openApp(page);
  await pick(page, 'Samples', 'Connection refused: SYN → RST, ACK');
  await expect(u.status).toContainText('tcp-refused.pcap');
  await u.row(2).click();
  await expect.poll(() => page.evaluate(() => location.hash)).toContain('sample=tcp-refused.pcap');
  await page.reload();
  await expect(u.status).toContainText('tcp-refused.pcap');
  await expect(u.selectedRow.locator('.col-num')).toHaveText('2');
  await expect(u.selectedRow).toContainText('[RST, ACK]');
});

test('the Samples menu in Japanese', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('wirelens.lang', 'ja'));
  await page.goto('/');
  await expect(ui(page).status).toContainText('http-get.pcap');
  await page.getByRole('button', { name: 'サンプル', exact: true }).click();
  await expect(page.getByRole('menuitem', { name: '接続拒否：SYN → RST, ACK' })).toBeVisible();
  await page.screenshot({ path: '/tmp/samples-menu-ja.png' });
  await page.getByRole('menuitem', { name: 'IP フラグメント化された ICMP エコー（MTU 500）' }).click();
  await expect(ui(page).status).toContainText('icmp-fragments.pcap');
});
