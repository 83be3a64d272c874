// The protocol tree (issue #3): field ↔ bytes linking, the context menu (Apply/Prepare as Filter, copying,
// expand/collapse) by mouse and keyboard, and the checksum-validation preferences.
//
// Expected counts are tshark 4.0.17's on the sample:
//   tshark -r public/samples/http-get.pcap -Y 'tcp.window_size_value == 64' | wc -l                              → 10
//   tshark -r public/samples/http-get.pcap -Y '(tcp.window_size_value == 64) && (tcp.srcport == 43874)' | wc -l → 5
//   tshark -r public/samples/http-get.pcap -Y 'tcp.dstport == 11699' | wc -l                                      → 6
//   tshark -r public/samples/http-get.pcap -o ip.check_checksum:TRUE -V -c 1 | grep -i checksum
//     Header Checksum: 0x81c1 [correct] / [Header checksum status: Good] / [Calculated Checksum: 0x81c1]
import { test, expect, type Page } from '@playwright/test';
import { openApp, readBytes, SAMPLE, ui, watchErrors } from './helpers';

test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

const menu = (page: Page) => page.getByRole('menu', { name: 'Packet details item' });
const item = (page: Page, label: RegExp) => ui(page).items.filter({ hasText: label });
/** Offsets of the bytes marked in the bytes pane. */
const markedOffsets = (page: Page) => ui(page).selectedBytes.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-off'))));
const clipboard = (page: Page) => page.evaluate(() => navigator.clipboard.readText());

/** Expand a collapsed tree item by clicking its triangle, as a person does. */
async function expand(page: Page, label: RegExp) {
  const it = item(page, label);
  await it.locator('.twisty').click();
  await expect(it).toHaveAttribute('aria-expanded', 'true');
}

test('a TCP field marks its bytes, a byte selects its field, and the context menu filters and copies', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);

  // frame 4 is the HTTP GET; expand TCP and select the window size value (tcp.window_size_value, "Window: 64")
  await u.row(4).click();
  await expect(u.items.first()).toHaveText(/^Frame 4:/);
  await expand(page, /^Transmission Control Protocol, Src Port: 43874, Dst Port: 11699/);
  const win = item(page, /^Window: 64$/);
  await win.click();
  await expect(win).toHaveAttribute('aria-selected', 'true');
  await expect(win).toHaveAttribute('title', /tcp\.window_size_value/);
  // 14 (Ethernet) + 20 (IPv4) + 14 (window field in TCP) = offsets 48 and 49
  await expect(u.selectedBytes).toHaveCount(2);
  expect(await markedOffsets(page)).toEqual([48, 49]);

  // a byte of the IPv4 source address (frame offsets 26–29) selects "Source Address" in the tree, revealing it
  await u.bytes.locator('[role="gridcell"][data-off="28"]').click();
  await expect(u.tree.locator('[role="treeitem"][aria-selected="true"]')).toHaveText('Source Address: 127.0.0.1');
  const src = item(page, /^Source Address: 127\.0\.0\.1$/);
  expect(await markedOffsets(page)).toEqual([26, 27, 28, 29]);

  // right-click → Apply as Filter → Selected: the field's filter is applied, and the list shows tshark's count
  await win.click({ button: 'right' });
  await expect(menu(page)).toBeVisible();
  await expect(win).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: '/tmp/h1-tree-menu.png' });
  await menu(page).getByRole('menuitem', { name: 'Apply as Filter' }).click();
  const sub = page.getByRole('menu', { name: 'Apply as Filter' });
  await expect(sub.getByRole('menuitem')).toHaveText(['Selected', 'Not Selected', '…and Selected', '…or Selected', '…and not Selected', '…or not Selected']);
  await page.screenshot({ path: '/tmp/h1-tree-submenu.png' });
  await sub.getByRole('menuitem', { name: 'Selected', exact: true }).click();
  await expect(menu(page)).toHaveCount(0);
  await expect(u.filter).toHaveValue('tcp.window_size_value == 64');
  await expect(u.status).toContainText('Displayed: 10');

  // …and Selected combines with the filter in the bar
  const sport = item(page, /^Source Port: 43874$/);
  await sport.click({ button: 'right' });
  await menu(page).getByRole('menuitem', { name: 'Apply as Filter' }).hover();
  await page.getByRole('menu', { name: 'Apply as Filter' }).getByRole('menuitem', { name: '…and Selected' }).click();
  await expect(u.filter).toHaveValue('(tcp.window_size_value == 64) && (tcp.srcport == 43874)');
  await expect(u.status).toContainText('Displayed: 5');

  // Prepare as Filter puts the text in the bar without applying it
  await sport.click({ button: 'right' });
  await menu(page).getByRole('menuitem', { name: 'Prepare as Filter' }).click();
  await page.getByRole('menu', { name: 'Prepare as Filter' }).getByRole('menuitem', { name: 'Not Selected', exact: true }).click();
  await expect(u.filter).toHaveValue('!(tcp.srcport == 43874)');
  await expect(u.filter).toBeFocused();
  await expect(u.status).toContainText('Displayed: 5');

  // Copy Value, Copy as Filter, Copy Field Name put the item's texts on the clipboard
  await src.click({ button: 'right' });
  await menu(page).getByRole('menuitem', { name: 'Copy Value' }).click();
  await expect.poll(() => clipboard(page)).toBe('127.0.0.1');
  await expect(page.locator('.tree-note')).toHaveText('Copied value');
  await src.click({ button: 'right' });
  await menu(page).getByRole('menuitem', { name: 'Copy as Filter' }).click();
  await expect.poll(() => clipboard(page)).toBe('ip.src == 127.0.0.1');
  await src.click({ button: 'right' });
  await menu(page).getByRole('menuitem', { name: 'Copy Field Name' }).click();
  await expect.poll(() => clipboard(page)).toBe('ip.src');
  errs.check();
});

test('the context menu from the keyboard: Shift+F10, arrows into the submenu, Escape back to the tree', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await u.row(4).click();
  await expand(page, /^Transmission Control Protocol/);
  await item(page, /^Destination Port: 11699$/).click();
  await expect(u.tree).toBeFocused();

  // Shift+F10 opens the menu of the focused item, its first usable entry focused (a leaf has no subtrees to
  // expand); Escape closes it, back to the tree
  await page.keyboard.press('Shift+F10');
  await expect(menu(page)).toBeVisible();
  await expect(menu(page).getByRole('menuitem', { name: 'Expand Subtrees' })).toHaveAttribute('aria-disabled', 'true');
  await expect(menu(page).getByRole('menuitem', { name: 'Expand All' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(menu(page)).toHaveCount(0);
  await expect(u.tree).toBeFocused();

  // the Menu key, then ↓ to Apply as Filter, → into the submenu, Enter on "Selected"
  await page.keyboard.press('ContextMenu');
  const apply = menu(page).getByRole('menuitem', { name: 'Apply as Filter' });
  for (let i = 0; i < 8 && !(await apply.evaluate((e) => e === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
  await expect(apply).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(apply).toHaveAttribute('aria-expanded', 'true');
  const sub = page.getByRole('menu', { name: 'Apply as Filter' });
  await expect(sub.getByRole('menuitem', { name: 'Selected', exact: true })).toBeFocused();
  // ← goes back to the entry, → again into the submenu
  await page.keyboard.press('ArrowLeft');
  await expect(sub).toHaveCount(0);
  await expect(apply).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: '/tmp/h1-tree-menu-dark.png' });
  await page.keyboard.press('Enter');
  await expect(u.filter).toHaveValue('tcp.dstport == 11699');
  await expect(u.status).toContainText('Displayed: 6');

  // Expand Subtrees / Collapse Subtrees on the TCP layer
  const tcp = item(page, /^Transmission Control Protocol/);
  await tcp.click({ button: 'right' });
  await menu(page).getByRole('menuitem', { name: 'Expand Subtrees' }).click();
  await expect(item(page, /^Flags: 0x018 \(PSH, ACK\)$/)).toHaveAttribute('aria-expanded', 'true');
  await expect(item(page, /= Acknowledgment: Set$/)).toBeVisible();
  await tcp.click({ button: 'right' });
  await menu(page).getByRole('menuitem', { name: 'Collapse Subtrees' }).click();
  await expect(tcp).toHaveAttribute('aria-expanded', 'false');
  await expect(item(page, /^Window: 64$/)).toHaveCount(0);
  errs.check();
});

test('Preferences: validating IPv4 checksums dissects again, keeps filter and selection, and is remembered', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);

  // a filter and a selected field that must survive the new dissection
  await u.filter.fill('tcp.srcport == 43874');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 6');
  await u.rows.nth(1).click(); // frame 3
  await expect(u.items.first()).toHaveText(/^Frame 3:/);
  await expand(page, /^Internet Protocol Version 4/);
  const ck = item(page, /^Header Checksum: /);
  await expect(ck).toHaveText('Header Checksum: 0x81c8 [validation disabled]');
  await expect(item(page, /Header checksum status/)).toHaveText('[Header checksum status: Unverified]');
  await ck.click();

  await page.getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('menuitem', { name: 'Preferences…' }).click();
  const dlg = page.getByRole('dialog', { name: 'Preferences' });
  await expect(dlg).toBeVisible();
  const ipv4 = dlg.getByRole('checkbox', { name: /Validate the IPv4 checksum/ });
  await expect(ipv4).not.toBeChecked();
  await ipv4.check();
  await page.screenshot({ path: '/tmp/h1-prefs.png' });
  await dlg.getByRole('button', { name: 'OK' }).click();
  await expect(dlg).toHaveCount(0);

  await expect(item(page, /^Header Checksum: /)).toHaveText('Header Checksum: 0x81c8 [correct]');
  await expect(item(page, /Header checksum status/)).toHaveText('[Header checksum status: Good]');
  await expect(item(page, /Calculated Checksum/)).toHaveText('[Calculated Checksum: 0x81c8]');
  await expect(u.filter).toHaveValue('tcp.srcport == 43874');
  await expect(u.status).toContainText('Displayed: 6');
  await expect(u.items.first()).toHaveText(/^Frame 3:/);
  await expect(u.selectedRow).toContainText('43874');
  await expect(item(page, /^Header Checksum: /)).toHaveAttribute('aria-selected', 'true');
  await page.screenshot({ path: '/tmp/h1-validated.png' });

  // remembered: after a reload the sample opens validated, and the box is still ticked
  await page.reload();
  await expect(u.status).toContainText('Packets: 12');
  await u.row(1).click();
  await expand(page, /^Internet Protocol Version 4/);
  await expect(item(page, /^Header Checksum: /)).toHaveText('Header Checksum: 0x81c1 [correct]');
  await page.keyboard.press('Control+Shift+P');
  await expect(page.getByRole('dialog', { name: 'Preferences' }).getByRole('checkbox', { name: /IPv4/ })).toBeChecked();
  errs.check();
});

test('a bad IPv4 checksum shows "incorrect, should be" once validation is on', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  // the sample's first frame with its IPv4 checksum overwritten with 0x1234; tshark says:
  //   tshark -r bad.pcap -o ip.check_checksum:TRUE -V | grep 'Header Checksum'
  //   Header Checksum: 0x1234 incorrect, should be 0x81c1(may be caused by "IP checksum offload"?)
  const b = Buffer.from(readBytes(SAMPLE));
  const capLen = b.readUInt32LE(24 + 8);
  const bad = Buffer.from(b.subarray(0, 40 + capLen));
  bad.writeUInt16BE(0x1234, 40 + 24);
  await u.fileInput.setInputFiles({ name: 'bad-ip-checksum.pcap', mimeType: 'application/vnd.tcpdump.pcap', buffer: bad });
  await expect(u.status).toContainText('Packets: 1');
  await u.row(1).click();
  await expand(page, /^Internet Protocol Version 4/);
  await expect(item(page, /^Header Checksum: /)).toHaveText('Header Checksum: 0x1234 [validation disabled]');

  await page.keyboard.press('Control+Shift+P');
  const dlg = page.getByRole('dialog', { name: 'Preferences' });
  await dlg.getByRole('checkbox', { name: /Validate the IPv4 checksum/ }).check();
  await dlg.getByRole('button', { name: 'OK' }).click();
  const ck = item(page, /^Header Checksum: /);
  await expect(ck).toHaveText('Header Checksum: 0x1234 incorrect, should be 0x81c1(may be caused by "IP checksum offload"?)');
  await expect(item(page, /Header checksum status/)).toHaveText('[Header checksum status: Bad]');
  // the same file was opened again: still one packet, same name
  await expect(u.status).toContainText('Packets: 1');
  await expect(page).toHaveTitle(/^bad-ip-checksum\.pcap/);
  await ck.click();
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: '/tmp/h1-bad-dark.png' });
  errs.check();
});
