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
