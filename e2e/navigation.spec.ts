// Everyday Wireshark habits: Go to Packet (Ctrl+G), the Go menu and its shortcuts, Next/Previous Packet in
// Conversation (Ctrl+. / Ctrl+,), Find Packet (Ctrl+F) by display filter, hex value and string, marks
// (Ctrl+M, Next/Previous Mark, Unmark All Displayed) and the Coloring Rules legend.
//
// The sample is test/fixtures/captures/01_http_get_loopback.pcap; what tshark finds there is in
// test/fixtures/golden/find.json (scripts/find-goldens.mjs): `http` → frames 4, 8; `frame contains 47:45:54` → 4;
// the only `tshark -V` line with "Host" is frame 4's "Host: 127.0.0.1:11699\r\n". In
// zeek__ipv6-fragmented-dns.pcap, udp.stream 1 is frames 3, 5, 8 (4, 6 and 7 are IPv6 fragments).
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApp, ui, watchErrors } from './helpers';

const GOLDEN = JSON.parse(readFileSync(fileURLToPath(new URL('../test/fixtures/golden/find.json', import.meta.url)), 'utf8')) as {
  find: { capture: string; query: { kind: string; text: string; scope?: string }; frames?: number[]; lines?: [number, string][] }[];
  conversations: { capture: string; filters: Record<string, number[]> }[];
};
const golden = (kind: string, text: string, scope?: string) =>
  GOLDEN.find.find((g) => g.capture === '01_http_get_loopback.pcap' && g.query.kind === kind && g.query.text === text && g.query.scope === scope)!;
const FRAG = fileURLToPath(new URL('../test/fixtures/captures/zeek__ipv6-fragmented-dns.pcap', import.meta.url));

const selectedFrame = (page: Page) => ui(page).selectedRow.locator('[role="gridcell"]').first();
const goto = (page: Page) => page.getByRole('textbox', { name: 'Packet number' });
const findField = (page: Page) => page.getByRole('textbox', { name: 'Search for' });
const findBar = (page: Page) => page.getByRole('search', { name: 'Find packet' });

async function expectSelected(page: Page, frame: number) {
  await expect(selectedFrame(page)).toHaveText(String(frame));
  await expect(ui(page).items.first()).toHaveText(new RegExp(`^Frame ${frame}:`));
}

test('Go to Packet, the Go menu and its shortcuts', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await expectSelected(page, 1);

  // Ctrl+G 7 Enter: row 7 selected, the tree shows frame 7, the bar closes and the list has the keyboard
  await page.keyboard.press('Control+g');
  await expect(goto(page)).toBeFocused();
  await page.keyboard.type('7');
  await page.screenshot({ path: '/tmp/nav-goto.png' });
  await page.keyboard.press('Enter');
  await expectSelected(page, 7);
  await expect(goto(page)).toBeHidden();
  await expect(u.list).toBeFocused();

  // a packet that does not exist: a clear message, the selection stays
  await page.keyboard.press('Control+g');
  await page.keyboard.type('999');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('There is no packet 999: the capture has 12 packets.');
  await expect(goto(page)).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: '/tmp/nav-goto-error.png' });
  await expectSelected(page, 7);
  await page.keyboard.press('Escape');
  await expect(goto(page)).toBeHidden();

  // hidden by the display filter
  await u.filter.fill('tcp.srcport == 11699');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 6');
  // Ctrl+G and Ctrl+Home do nothing while typing in the filter bar
  await u.filter.press('Control+g');
  await u.filter.press('Control+Home');
  await expect(goto(page)).toBeHidden();
  await u.list.focus();
  await page.keyboard.press('Control+g');
  await goto(page).fill('4');
  await goto(page).press('Enter');
  await expect(page.getByRole('alert')).toHaveText('Packet 4 is hidden by the display filter “tcp.srcport == 11699”.');
  await goto(page).fill('8');
  await goto(page).press('Enter');
  await expectSelected(page, 8);
  await u.filter.fill('');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 12');

  // the Go menu lists the commands with their shortcuts
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  const menu = page.getByRole('menu', { name: 'Go' });
  await expect(menu.getByRole('menuitem')).toHaveText([
    'Go to Packet…Ctrl+G',
    'Previous PacketCtrl+↑',
    'Next PacketCtrl+↓',
    'First PacketCtrl+Home',
    'Last PacketCtrl+End',
    'Previous Packet in ConversationCtrl+,',
    'Next Packet in ConversationCtrl+.',
  ]);
  await page.screenshot({ path: '/tmp/nav-go-menu.png' });
  await menu.getByRole('menuitem', { name: /^Last Packet/ }).click();
  await expectSelected(page, 12);
  await u.list.focus();
  await page.keyboard.press('Control+Home');
  await expectSelected(page, 1);
  await page.keyboard.press('Control+ArrowDown');
  await expectSelected(page, 2);
  // from the protocol tree too, as in Wireshark
  await u.items.first().click();
  await page.keyboard.press('Control+ArrowDown');
  await expectSelected(page, 3);
  await page.keyboard.press('Control+ArrowUp');
  await expectSelected(page, 2);
  await page.keyboard.press('Control+End');
  await expectSelected(page, 12);
  errs.check();
});

test('Next / Previous Packet in Conversation follow the UDP stream, else the IP pair', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles(FRAG);
  await expect(u.status).toContainText('Packets: 8 · Displayed: 8');
  const conv = GOLDEN.conversations.find((c) => c.capture === 'zeek__ipv6-fragmented-dns.pcap')!;
  const stream1 = conv.filters['udp.stream eq 1']!;
  expect(stream1).toEqual([3, 5, 8]);

  await u.row(3).click();
  await expectSelected(page, 3);
  await page.keyboard.press('Control+.');
  await expectSelected(page, 5);
  await page.keyboard.press('Control+.');
  await expectSelected(page, 8);
  // round from the end, saying so
  await page.keyboard.press('Control+.');
  await expectSelected(page, 3);
  await expect(page.locator('.nav-note')).toHaveText('Reached the end of the list; continued from the first packet.');
  await page.keyboard.press('Control+,');
  await expectSelected(page, 8);
  // a fragment has no UDP stream: its IPv6 address pair (every frame here)
  await u.row(6).click();
  await page.keyboard.press('Control+.');
  await expectSelected(page, 7);
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await page.getByRole('menuitem', { name: /^Previous Packet in Conversation/ }).click();
  await expectSelected(page, 6);
  errs.check();
});

test('Find Packet by display filter, hex value and string', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  const http = golden('filter', 'http').frames!;
  expect(http).toEqual([4, 8]);

  // Ctrl+F opens the find bar on "Display filter"; Enter finds the first HTTP packet, again the next
  await page.keyboard.press('Control+f');
  await expect(findField(page)).toBeFocused();
  await expect(page.getByRole('combobox', { name: 'Search by' })).toHaveValue('filter');
  await page.keyboard.type('http');
  await expect(findBar(page).locator('.find-field')).toHaveClass(/valid/);
  await page.keyboard.press('Enter');
  await expectSelected(page, http[0]!);
  await expect(page.locator('#find-note')).toHaveText(`Found in packet ${http[0]}.`);
  await page.keyboard.press('Enter');
  await expectSelected(page, http[1]!);
  await page.keyboard.press('Enter');
  await expectSelected(page, http[0]!);
  await expect(page.locator('#find-note')).toHaveText('Reached the end of the list; continued from the first packet.');
  await page.screenshot({ path: '/tmp/nav-find-filter.png' });
  // Shift+Enter and the Previous button go back
  await page.keyboard.press('Shift+Enter');
  await expectSelected(page, http[1]!);
  await findBar(page).getByRole('button', { name: 'Previous' }).click();
  await expectSelected(page, http[0]!);

  // a bad filter: red field and the compiler's message; the selection stays
  await findField(page).fill('http.nosuchfield');
  await expect(findBar(page).getByRole('alert')).toContainText('http.nosuchfield');
  await expect(findField(page)).toHaveAttribute('aria-invalid', 'true');
  await findField(page).press('Enter');
  await expect(findBar(page).getByRole('alert')).toBeVisible();
  await page.screenshot({ path: '/tmp/nav-find-bad-filter.png' });
  await expectSelected(page, http[0]!);

  // hex 47:45:54 ("GET"): frame 4, the field holding the bytes selected and the three bytes marked
  expect(golden('hex', '47:45:54').frames).toEqual([4]);
  await u.row(1).click();
  await page.getByRole('combobox', { name: 'Search by' }).selectOption('hex');
  await findField(page).fill('47:45:54');
  await findField(page).press('Enter');
  await expectSelected(page, 4);
  const found = u.bytes.locator('[role="gridcell"].found');
  await expect(found).toHaveText(['47', '45', '54']);
  await expect(u.tree.locator('[role="treeitem"][aria-selected="true"]')).toHaveText('Request Method: GET');
  await page.screenshot({ path: '/tmp/nav-find-hex.png' });
  await findField(page).fill('47:4g');
  await expect(findBar(page).getByRole('alert')).toHaveText('"g" is not a hex digit.');

  // string "Host" in the packet details: the Host header's tree item is selected (and revealed)
  const host = golden('string', 'Host', 'details').lines!;
  expect(host).toEqual([[4, 'Host: 127.0.0.1:11699\\r\\n']]);
  await u.row(1).click();
  await page.getByRole('combobox', { name: 'Search by' }).selectOption('string');
  await page.getByRole('combobox', { name: 'Search in' }).selectOption('details');
  await page.getByRole('checkbox', { name: 'Case sensitive' }).check();
  await findField(page).fill('Host');
  await findField(page).press('Enter');
  await expectSelected(page, 4);
  const sel = u.tree.locator('[role="treeitem"][aria-selected="true"]');
  await expect(sel).toHaveText(host[0]![1]);
  await expect(sel).toBeInViewport();
  await page.screenshot({ path: '/tmp/nav-find-details.png' });
  // the only match: found again after going round
  await findField(page).press('Enter');
  await expect(page.locator('#find-note')).toHaveText('Reached the end of the list; continued from the first packet.');
  // not there at all
  await findField(page).fill('no such text');
  await findField(page).press('Enter');
  await expect(page.locator('#find-note')).toHaveText('No displayed packet matches.');

  // Esc closes the bar and gives the list the keyboard
  await findField(page).press('Escape');
  await expect(findBar(page)).toBeHidden();
  await expect(u.list).toBeFocused();
  errs.check();
});

test('marks: Ctrl+M, Next / Previous Mark, Unmark All Displayed', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  for (const n of [3, 9]) {
    await u.row(n).click();
    await page.keyboard.press('Control+m');
    await expect(u.row(n)).toHaveClass(/marked/);
  }
  await u.row(1).click();
  await page.keyboard.press('Control+Shift+N');
  await expectSelected(page, 3);
  await page.keyboard.press('Control+Shift+N');
  await expectSelected(page, 9);
  await page.keyboard.press('Control+Shift+N');
  await expectSelected(page, 3);
  await expect(page.locator('.nav-note')).toHaveText('Reached the end of the list; continued from the first packet.');
  await page.keyboard.press('Control+Shift+B');
  await expectSelected(page, 9);

  await page.getByRole('button', { name: 'Edit' }).click();
  const edit = page.getByRole('menu', { name: 'Edit' });
  await expect(edit.getByRole('menuitem', { name: /^Unmark Packet/ })).toBeVisible();
  await page.screenshot({ path: '/tmp/nav-edit-menu.png' });
  await edit.getByRole('menuitem', { name: /^Unmark All Displayed/ }).click();
  await expect(u.list.locator('.prow.marked')).toHaveCount(0);
  await u.list.focus();
  await page.keyboard.press('Control+Shift+N');
  await expect(page.locator('.nav-note')).toHaveText('No packet is marked (Ctrl+M marks the selected one).');
  // Mark All Displayed
  await page.keyboard.press('Control+Shift+M');
  await expect(u.list.locator('.prow.marked')).toHaveCount(12);
  errs.check();
});

test('the Coloring Rules legend lists the rules and marks the selected packet’s, in both themes', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await u.row(4).click();
  await page.getByRole('button', { name: 'View' }).click();
  await page.getByRole('menuitem', { name: 'Coloring Rules…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Coloring Rules' });
  const table = dialog.getByRole('table', { name: 'Coloring Rules' });
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(20);
  await expect(rows.first().getByRole('rowheader')).toHaveText('Bad TCP');
  await expect(rows.first()).toContainText('tcp.analysis.flags && !tcp.analysis.window_update');
  // frame 4 is the HTTP GET: the "HTTP" rule, drawn in its colours
  const current = table.locator('tr[aria-current="true"]');
  await expect(current.getByRole('rowheader')).toHaveText(/^HTTPselected packet$/);
  await expect(current).toContainText('http || tcp.port == 80 || http2');
  expect(await current.locator('.legend-sample').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(228, 255, 199)');
  await expect(dialog.locator('.legend-status')).toHaveText('Packet 4 is colored by “HTTP”.');
  await page.screenshot({ path: '/tmp/nav-legend-light.png' });
  // the SYN of frame 1 matches "TCP SYN/FIN" (the dialog does not stop the list's keys)
  await u.list.focus();
  await page.keyboard.press('Control+Home');
  await expect(current.getByRole('rowheader')).toHaveText(/^TCP SYN\/FIN/);

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: '/tmp/nav-legend-dark.png' });
  // the toggle in the legend turns colouring off
  await dialog.getByRole('checkbox', { name: 'Colorize packet list' }).uncheck();
  await expect(page.getByRole('button', { name: 'Colorize packet list' })).toHaveAttribute('aria-pressed', 'false');
  await dialog.getByRole('checkbox', { name: 'Colorize packet list' }).check();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  // the find bar in the dark theme, for a look
  await page.keyboard.press('Control+f');
  await page.keyboard.type('tcp.flags.fin == 1');
  await page.keyboard.press('Enter');
  await expectSelected(page, 10);
  await page.screenshot({ path: '/tmp/nav-find-dark.png' });
  errs.check();
});
