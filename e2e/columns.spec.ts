// Packet-list columns as a Wireshark user arranges them: Apply as Column from the tree (menu and Ctrl+Shift+I),
// the header menu (resolved values, move, remove, displayed columns, reset), dragging a header to reorder,
// dragging an edge to resize, and all of it remembered after a reload. The custom columns' texts are compared
// with what tshark prints in the same columns (test/fixtures/golden/columns, scripts/column-goldens.mjs).
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApp, ui, watchErrors } from './helpers';

interface Golden {
  fields: Record<string, { values: string[]; strings: string[] }>;
}
// the default sample is a copy of this fixture
const G = (JSON.parse(readFileSync(fileURLToPath(new URL('../test/fixtures/golden/columns/01_http_get_loopback.pcap.json', import.meta.url)), 'utf8')) as Golden).fields;

const treeMenu = (page: Page) => page.getByRole('menu', { name: 'Packet details item' });
const colMenu = (page: Page) => page.getByRole('menu', { name: 'Column' });
const item = (page: Page, label: RegExp) => ui(page).items.filter({ hasText: label });
const headers = (page: Page) => ui(page).list.getByRole('columnheader');
const header = (page: Page, name: string) => ui(page).list.getByRole('columnheader', { name, exact: true });

/** The texts of column `name` in the rows shown, top to bottom. */
async function columnTexts(page: Page, name: string): Promise<string[]> {
  const names = await headers(page).allTextContents();
  const i = names.indexOf(name);
  expect(i, `column ${name} in ${names.join(', ')}`).toBeGreaterThanOrEqual(0);
  return ui(page).rows.evaluateAll((rows, i) => rows.map((r) => r.querySelectorAll('[role="gridcell"]')[i]?.textContent ?? ''), i);
}

async function expectColumn(page: Page, name: string, want: string[]) {
  await expect.poll(() => columnTexts(page, name), { message: `column ${name}` }).toEqual(want);
}

async function expand(page: Page, label: RegExp) {
  const it = item(page, label);
  await it.locator('.twisty').click();
  await expect(it).toHaveAttribute('aria-expanded', 'true');
}

/** Drag with the mouse from the middle of `from` to x (px in the window) at the same height. */
async function dragTo(page: Page, box: { x: number; y: number; width: number; height: number }, fromX: number, toX: number) {
  const y = box.y + box.height / 2;
  await page.mouse.move(fromX, y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(fromX + ((toX - fromX) * i) / 8, y);
  await page.mouse.up();
}

const DEFAULT = ['No.', 'Time', 'Source', 'Destination', 'Protocol', 'Length', 'Info'];

test('Apply as Column, the header menu, reordering and resizing, remembered after a reload', async ({ page }) => {
  test.setTimeout(90_000);
  const errs = watchErrors(page);
  await page.goto('/');
  await page.evaluate(() => localStorage.removeItem('wirelens.columns.v2'));
  await openApp(page);
  const u = ui(page);
  await expect(headers(page)).toHaveText(DEFAULT);

  // frame 1 (the SYN): right-click IPv4's Time to Live → Apply as Column; the column comes before Info
  await u.row(1).click();
  await expand(page, /^Internet Protocol Version 4, Src: 127\.0\.0\.1/);
  await item(page, /^Time to Live: 64$/).click({ button: 'right' });
  await treeMenu(page).getByRole('menuitem', { name: /^Apply as Column/ }).click();
  await expect(headers(page)).toHaveText([...DEFAULT.slice(0, 6), 'Time to Live', 'Info']);
  await expectColumn(page, 'Time to Live', G['ip.ttl']!.strings);

  // the keyboard: select TCP › Flags › Syn and press Ctrl+Shift+I; it shows Set / Not set as tshark's column does
  await expand(page, /^Transmission Control Protocol, Src Port: 43874/);
  await expand(page, /^Flags: 0x002 \(SYN\)$/);
  await item(page, /= Syn: Set$/).click();
  await page.keyboard.press('Control+Shift+I');
  await expect(headers(page)).toHaveText([...DEFAULT.slice(0, 6), 'Time to Live', 'Syn', 'Info']);
  await expectColumn(page, 'Syn', G['tcp.flags.syn']!.strings);
  expect(G['tcp.flags.syn']!.strings.slice(0, 3)).toEqual(['Set', 'Set', 'Not set']);

  // Edit › Find Packet, string in the packet list: the custom columns' texts are searched too ("Not set" is
  // only there; frame 3 is the first after the SYN and SYN/ACK)
  await u.row(1).click();
  await page.keyboard.press('Control+f');
  await page.getByRole('combobox', { name: 'Search by' }).selectOption('string');
  await page.getByRole('combobox', { name: 'Search in' }).selectOption('list');
  await page.getByRole('textbox', { name: 'Search for' }).fill('Not set');
  await page.getByRole('textbox', { name: 'Search for' }).press('Enter');
  await expect(u.selectedRow.getByRole('gridcell').first()).toHaveText('3');
  await page.getByRole('textbox', { name: 'Search for' }).press('Escape');

  // the header menu: values instead of names (1 / 0), as tshark's %Cus:tcp.flags.syn:0:U
  await header(page, 'Syn').click({ button: 'right' });
  const resolved = colMenu(page).getByRole('menuitemcheckbox', { name: 'Show Resolved Values' });
  await expect(resolved).toHaveAttribute('aria-checked', 'true');
  await page.screenshot({ path: '/tmp/columns-menu.png' });
  await resolved.click();
  await expectColumn(page, 'Syn', G['tcp.flags.syn']!.values);

  // drag the Time to Live header onto the left half of Source: it moves before Source
  const ttl = (await header(page, 'Time to Live').boundingBox())!;
  const src = (await header(page, 'Source').boundingBox())!;
  await dragTo(page, ttl, ttl.x + ttl.width / 2, src.x + 10);
  await expect(headers(page)).toHaveText(['No.', 'Time', 'Time to Live', 'Source', 'Destination', 'Protocol', 'Length', 'Syn', 'Info']);
  await expectColumn(page, 'Time to Live', G['ip.ttl']!.strings);

  // Move Right from the menu (the keyboard's way to reorder): Syn goes after Info
  await header(page, 'Syn').click({ button: 'right' });
  await colMenu(page).getByRole('menuitem', { name: 'Move Right' }).click();
  await expect(headers(page).last()).toHaveText('Syn');

  // Remove This Column on Length: gone, and unchecked in Displayed Columns
  await header(page, 'Length').click({ button: 'right' });
  await colMenu(page).getByRole('menuitem', { name: 'Remove This Column' }).click();
  await expect(headers(page)).toHaveText(['No.', 'Time', 'Time to Live', 'Source', 'Destination', 'Protocol', 'Info', 'Syn']);
  await header(page, 'Protocol').click({ button: 'right' });
  await colMenu(page).getByRole('menuitem', { name: 'Displayed Columns' }).click();
  const displayed = page.getByRole('menu', { name: 'Displayed Columns' });
  await expect(displayed.getByRole('menuitemcheckbox', { name: 'Length' })).toHaveAttribute('aria-checked', 'false');
  await expect(displayed.getByRole('menuitemcheckbox', { name: 'Syn' })).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(colMenu(page)).toHaveCount(0);

  // resize Source by dragging its right edge 60 px
  const before = (await header(page, 'Source').boundingBox())!;
  await dragTo(page, before, before.x + before.width - 1, before.x + before.width + 59);
  await expect.poll(async () => Math.round((await header(page, 'Source').boundingBox())!.width)).toBe(Math.round(before.width + 60));

  // a filter: the custom columns follow the displayed rows
  await u.filter.fill('tcp.flags.syn == 1');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 2');
  await expectColumn(page, 'Syn', ['1', '1']);
  await expectColumn(page, 'Time to Live', ['64', '64']);
  await u.filter.fill('');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 12');
  await page.screenshot({ path: '/tmp/columns-arranged.png' });

  // a reload keeps all of it: order, the removed column, the raw values, the width
  await page.reload();
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12');
  await expect(headers(page)).toHaveText(['No.', 'Time', 'Time to Live', 'Source', 'Destination', 'Protocol', 'Info', 'Syn']);
  await expectColumn(page, 'Syn', G['tcp.flags.syn']!.values);
  await expectColumn(page, 'Time to Live', G['ip.ttl']!.strings);
  expect(Math.round((await header(page, 'Source').boundingBox())!.width)).toBe(Math.round(before.width + 60));

  // Displayed Columns brings Length back in its place; Reset Columns gives Wireshark's defaults
  await header(page, 'Info').click({ button: 'right' });
  await colMenu(page).getByRole('menuitem', { name: 'Displayed Columns' }).click();
  await page.getByRole('menu', { name: 'Displayed Columns' }).getByRole('menuitemcheckbox', { name: 'Length' }).click();
  await expect(headers(page)).toHaveText(['No.', 'Time', 'Time to Live', 'Source', 'Destination', 'Protocol', 'Length', 'Info', 'Syn']);
  await header(page, 'Info').click({ button: 'right' });
  await colMenu(page).getByRole('menuitem', { name: 'Reset Columns' }).click();
  await expect(headers(page)).toHaveText(DEFAULT);
  await page.reload();
  await expect(headers(page)).toHaveText(DEFAULT);
  errs.check();
});

test('columns of other field types read as tshark prints them', async ({ page }) => {
  const errs = watchErrors(page);
  await page.goto('/');
  // columns as a person would have left them: stored by an earlier visit
  await page.evaluate(() =>
    localStorage.setItem(
      'wirelens.columns.v2',
      JSON.stringify([
        { builtin: 'num', width: 64 },
        { field: 'tcp.flags', occurrence: 0, resolved: true, title: 'Flags', width: 80 },
        { field: 'tcp.analysis.ack_rtt', occurrence: 0, resolved: true, title: 'RTT', width: 110 },
        { field: 'http.request.method', occurrence: 0, resolved: true, title: 'Method', width: 80 },
        { field: 'ip.id', occurrence: 0, resolved: true, title: 'Identification', width: 140 },
        { field: 'tcp', occurrence: 0, resolved: true, title: 'TCP', width: 60 },
        { builtin: 'info', width: 300 },
      ]),
    ),
  );
  await openApp(page);
  await expect(headers(page)).toHaveText(['No.', 'Flags', 'RTT', 'Method', 'Identification', 'TCP', 'Info']);
  await expectColumn(page, 'Flags', G['tcp.flags']!.strings);
  await expectColumn(page, 'RTT', G['tcp.analysis.ack_rtt']!.strings);
  await expectColumn(page, 'Method', G['http.request.method']!.strings);
  await expectColumn(page, 'Identification', G['ip.id']!.strings);
  await expectColumn(page, 'TCP', G['tcp']!.strings);
  // a stored list that is not one (edited by hand) gives the default columns
  await page.evaluate(() => localStorage.setItem('wirelens.columns.v2', '{"nonsense": true'));
  await page.reload();
  await expect(ui(page).status).toContainText('Packets: 12');
  await expect(headers(page)).toHaveText(DEFAULT);
  errs.check();
});
