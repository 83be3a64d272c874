// Conversations (issue 5): the tables per type, sorting by a column, "Filter on this conversation" and
// "Sequence diagram" from a row.
import { test, expect, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS, openApp, ui, watchErrors } from './helpers';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/captures/', import.meta.url));
const capture = (name: string) => (existsSync(`${CORPUS}/public/${name}`) ? `${CORPUS}/public/${name}` : `${FIXTURES}${name}`);

/** tshark -r public/samples/http-get.pcap -Y "tcp.stream eq 0" | wc -l */
const SAMPLE_STREAM0 = 12;

async function openConversations(page: Page) {
  await page.getByRole('button', { name: 'Conversations', exact: true }).click();
  const d = page.getByRole('dialog', { name: 'Conversations' });
  await expect(d).toBeVisible();
  return d;
}

const cells = (row: ReturnType<Page['locator']>) => row.getByRole('gridcell').allTextContents();

test('the TCP conversation of the sample as tshark counts it; Filter on this conversation', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  const d = await openConversations(page);
  await d.getByRole('tab', { name: /^TCP/ }).click();
  await expect(d.getByRole('tab', { name: /^TCP/ })).toHaveAttribute('aria-selected', 'true');
  const grid = d.getByRole('grid', { name: 'TCP conversations' });
  const rows = grid.locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])');
  await expect(rows).toHaveCount(1);
  // tshark -q -z conv,tcp: 127.0.0.1:43874 <-> 127.0.0.1:11699, 6 823 bytes (<-), 6 483 bytes (->), 12 1306 bytes
  expect(await cells(rows.first())).toEqual(['127.0.0.1', '43874', '127.0.0.1', '11699', '12', '1,306', '6', '483', '6', '823', '0.000000', '0.0081']);
  await expect(grid.getByRole('columnheader')).toHaveText([
    'Address A',
    'Port A',
    'Address B',
    'Port B',
    'Packets',
    'Bytes',
    'Packets A → B',
    'Bytes A → B',
    'Packets B → A',
    'Bytes B → A',
    'Rel Start',
    'Duration',
  ]);

  const filterBtn = d.getByRole('button', { name: 'Filter on this conversation' });
  await expect(filterBtn).toBeDisabled();
  await rows.first().click();
  await expect(rows.first()).toHaveAttribute('aria-selected', 'true');
  await filterBtn.click();
  await expect(u.filter).toHaveValue('tcp.stream eq 0');
  await expect(u.status).toContainText(`Packets: 12 · Displayed: ${SAMPLE_STREAM0}`);

  // IPv4 and Ethernet tabs have the one pair each; IPv6 and UDP none
  await d.getByRole('tab', { name: /^IPv4/ }).click();
  const ip = d.getByRole('grid', { name: 'IPv4 conversations' });
  await expect(ip.locator('[role="row"][aria-selected]')).toHaveCount(1);
  expect(await cells(ip.locator('[role="row"][aria-selected]').first())).toEqual(['127.0.0.1', '127.0.0.1', '12', '1,306', '12', '1,306', '0', '0', '0.000000', '0.0081']);
  await ip.locator('[role="row"][aria-selected]').first().click();
  await d.getByRole('button', { name: 'Filter on this conversation' }).click();
  await expect(u.filter).toHaveValue('ip.addr==127.0.0.1 && ip.addr==127.0.0.1');
  await expect(u.status).toContainText('Displayed: 12');
  await d.getByRole('tab', { name: /^UDP/ }).click();
  await expect(d.getByText('No conversations of this type.')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(d).toHaveCount(0);
  errs.check();
});

test('sorting by a column, and a row’s sequence diagram', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles(capture('zeek__smtp.pcap'));
  await expect(u.status).toContainText('Packets: 125 · Displayed: 125');
  const d = await openConversations(page);
  await d.getByRole('tab', { name: /^TCP/ }).click();
  const grid = d.getByRole('grid', { name: 'TCP conversations' });
  const rows = grid.locator('[role="row"][aria-selected]');
  // tshark -q -z conv,tcp lists 6 TCP conversations; the largest has 53 frames, the smallest 2
  await expect(rows).toHaveCount(6);
  const packets = grid.getByRole('columnheader', { name: 'Packets', exact: true });
  await packets.getByRole('button').click();
  await expect(packets).toHaveAttribute('aria-sort', 'descending');
  expect((await cells(rows.first()))[4]).toBe('53');
  await packets.getByRole('button').click();
  await expect(packets).toHaveAttribute('aria-sort', 'ascending');
  expect((await cells(rows.first()))[4]).toBe('2');
  const addrA = grid.getByRole('columnheader', { name: 'Address A' });
  await addrA.getByRole('button').click();
  await expect(addrA).toHaveAttribute('aria-sort', 'ascending');
  // numerically: 10.10.1.4 before 74.125.71.189 before 192.168.133.100
  const firstCol = await rows.evaluateAll((rs) => rs.map((r) => r.querySelector('[role="gridcell"]')!.textContent));
  expect(firstCol).toEqual(['10.10.1.4', '74.125.71.189', '192.168.133.100', '192.168.133.100', '192.168.133.100', '192.168.133.100']);

  // the 27-packet conversation (tcp.stream eq 2) as a sequence diagram
  await packets.getByRole('button').click(); // descending again
  await rows.nth(2).click();
  expect((await cells(rows.nth(2)))[4]).toBe('27');
  await d.getByRole('button', { name: 'Sequence diagram' }).click();
  const pane = page.getByRole('region', { name: 'Sequence diagram pane' });
  await expect(pane.locator('.ld-title-main')).toHaveText('TCP stream 2');
  await expect(pane.getByText('27 packets')).toBeVisible();
});
