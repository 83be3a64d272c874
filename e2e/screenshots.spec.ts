// Screenshots of both themes for a person to look at (written to /tmp, not compared).
import { test, expect } from '@playwright/test';
import { openApp, ui } from './helpers';

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme, viewport: { width: 1366, height: 820 } });
    test(`screenshot (${scheme})`, async ({ page }) => {
      await openApp(page);
      const u = ui(page);
      // the HTTP response: its last protocol layer, expanded, with its second field selected
      await u.row(8).click();
      await expect(u.items.first()).toHaveText(/^Frame 8:/);
      const top = u.tree.locator('[role="treeitem"][aria-level="1"]');
      const layer = top.last();
      await layer.click();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await page.screenshot({ path: `/tmp/wirelens-${scheme}.png` });
      await u.list.focus();
      await page.screenshot({ path: `/tmp/wirelens-${scheme}-listfocus.png` });
    });
  });
}

// The analysis views in both themes, at two window sizes (written to /tmp, not compared).
for (const scheme of ['light', 'dark'] as const) {
  for (const [w, h] of [
    [1920, 1080],
    [1280, 720],
  ] as const) {
    test.describe(`${scheme} theme ${w}×${h}`, () => {
      test.use({ colorScheme: scheme, viewport: { width: w, height: h } });
      test(`screenshots of the sequence diagram, Follow and Conversations (${scheme}, ${w}×${h})`, async ({ page }) => {
        await openApp(page);
        const u = ui(page);
        await u.row(4).click();
        await page.getByRole('button', { name: 'Sequence diagram', exact: true }).click();
        const pane = page.getByRole('region', { name: 'Sequence diagram pane' });
        await expect(pane.locator('[data-frame="4"]')).toHaveClass(/\bsel\b/);
        await page.screenshot({ path: `/tmp/wirelens-diagram-${scheme}-${w}.png` });
        await page.getByRole('button', { name: 'Maximise diagram' }).click();
        await expect(u.list).toBeHidden();
        await page.screenshot({ path: `/tmp/wirelens-diagram-max-${scheme}-${w}.png` });
        await page.getByRole('button', { name: 'Restore diagram' }).click();

        await u.row(4).click();
        await page.keyboard.press('Control+Alt+Shift+T');
        const follow = page.getByRole('dialog', { name: /^Follow TCP Stream \(/ });
        await expect(follow.locator('.fl').first()).toBeVisible();
        await page.screenshot({ path: `/tmp/wirelens-follow-${scheme}-${w}.png` });
        await follow.getByRole('button', { name: 'Back' }).click();

        await page.getByRole('button', { name: 'Conversations', exact: true }).click();
        const conv = page.getByRole('dialog', { name: 'Conversations' });
        await conv.getByRole('tab', { name: /^TCP/ }).click();
        await conv.locator('[role="row"][aria-selected]').first().click();
        await page.screenshot({ path: `/tmp/wirelens-conversations-${scheme}-${w}.png` });
      });
    });
  }
}
