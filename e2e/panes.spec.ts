// The details tree, the bytes pane, the splitters and the theme.
import { test, expect } from '@playwright/test';
import { openApp, ui, watchErrors } from './helpers';

test('clicking a packet shows its tree; expanding and selecting items marks their bytes', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);

  await u.row(3).click();
  await expect(u.row(3)).toHaveAttribute('aria-selected', 'true');
  await expect(u.items.first()).toHaveText(/^Frame 3: 66 bytes on wire/);

  await u.row(1).click();
  const frame = u.items.first();
  await expect(frame).toHaveText(/^Frame 1: 74 bytes on wire \(592 bits\), 74 bytes captured \(592 bits\)/);
  await expect(frame).toHaveAttribute('aria-level', '1');
  await expect(frame).toHaveAttribute('aria-expanded', 'false');
  const topLevel = await u.tree.locator('[role="treeitem"][aria-level="1"]').count();

  // expand the frame with a double-click: its children appear at level 2
  await frame.dblclick();
  await expect(frame).toHaveAttribute('aria-expanded', 'true');
  await expect(u.tree.locator('[role="treeitem"][aria-level="2"]').first()).toBeVisible();
  // and collapse with ←
  await frame.click();
  await page.keyboard.press('ArrowLeft');
  await expect(frame).toHaveAttribute('aria-expanded', 'false');
  await expect(u.tree.locator('[role="treeitem"][aria-level="2"]')).toHaveCount(0);
  await expect(u.tree.locator('[role="treeitem"][aria-level="1"]')).toHaveCount(topLevel);

  // the Ethernet header is the first 14 bytes of the frame
  const eth = u.items.filter({ hasText: /^Ethernet II/ });
  await eth.click();
  await expect(eth).toHaveAttribute('aria-selected', 'true');
  await expect(u.selectedBytes).toHaveCount(14);
  await expect(u.bytes.locator('[role="gridcell"][data-off="0"]')).toHaveAttribute('aria-selected', 'true');
  await expect(u.bytes.locator('[role="gridcell"][data-off="14"]')).toHaveAttribute('aria-selected', 'false');

  // → expands it, → again goes to its first child (the 6-byte destination address)
  await page.keyboard.press('ArrowRight');
  await expect(eth).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  const child = u.tree.locator('[role="treeitem"][aria-selected="true"]');
  await expect(child).toHaveAttribute('aria-level', '2');
  await expect(child).toContainText('Destination');
  await expect(u.selectedBytes).toHaveCount(6);

  // clicking a byte selects the innermost item covering it: byte 12 is the EtherType (2 bytes)
  await u.bytes.locator('[role="gridcell"][data-off="12"]').click();
  await expect(u.selectedBytes).toHaveCount(2);
  await expect(u.bytes.locator('[role="gridcell"][data-off="13"]')).toHaveAttribute('aria-selected', 'true');
  await expect(child).toContainText('Type');

  // the expansion is kept when moving to another packet
  await u.row(2).click();
  await expect(u.items.first()).toHaveText(/^Frame 2:/);
  await expect(u.items.filter({ hasText: /^Ethernet II/ })).toHaveAttribute('aria-expanded', 'true');
  errs.check();
});

test('the splitters resize the panes and the sizes are remembered', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const sep = page.getByRole('separator').first();
  const before = (await u.list.boundingBox())!.height;
  const box = (await sep.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2 + 120, { steps: 6 });
  await page.mouse.up();
  const after = (await u.list.boundingBox())!.height;
  expect(after).toBeGreaterThan(before + 100);
  await page.reload();
  await expect(u.status).toContainText('Packets: 12');
  const reloaded = (await u.list.boundingBox())!.height;
  expect(Math.abs(reloaded - after)).toBeLessThan(3);
});

test.describe('theme', () => {
  test.use({ colorScheme: 'dark' });
  test('follows the system preference, and the toggle switches and is remembered', async ({ page }) => {
    await openApp(page);
    const html = page.locator('html');
    await expect(html).toHaveAttribute('data-theme', 'dark');
    const bgDark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.getByRole('button', { name: 'Switch to light theme' }).click();
    await expect(html).toHaveAttribute('data-theme', 'light');
    const bgLight = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bgLight).not.toBe(bgDark);
    await page.reload();
    await expect(html).toHaveAttribute('data-theme', 'light');
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    await expect(html).toHaveAttribute('data-theme', 'dark');
  });
});

test('a packet with a reassembled data source shows one tab per source', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  // frame 8 completes the HTTP response begun in frame 6 (tshark: "Reassembled TCP (419 bytes)")
  await u.row(8).click();
  await expect(u.items.first()).toHaveText(/^Frame 8:/);
  const tabs = u.bytes.getByRole('tab');
  await expect(tabs).toHaveText(['Frame (299 bytes)', 'Reassembled TCP (419 bytes)']);
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  await tabs.nth(1).click();
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  // 419 bytes = 27 lines of 16, the last offset being 0x1a0
  await expect(u.bytes.getByRole('rowheader').first()).toHaveText('0000');
  // selecting an item whose bytes are in the reassembled source switches to it
  await tabs.first().click();
  await u.items.filter({ hasText: /^Hypertext Transfer Protocol/ }).click();
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(u.selectedBytes.first()).toBeVisible();
  // the first row back: one source, no tabs
  await u.row(1).click();
  await expect(u.items.first()).toHaveText(/^Frame 1:/);
  await expect(tabs).toHaveCount(0);
});
