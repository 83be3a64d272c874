// Classroom mode (issue 7): projector mode readable at 1280×720, Japanese and English, explanations of the
// selected field and of what the packet takes part in, step mode in sync with the sequence diagram, and
// lesson links in the URL hash. UPDATE_DOCS=1 also writes docs/projector-en.png and docs/projector-ja.png.
import { test, expect, type Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { openApp, ui, watchErrors } from './helpers';

const DOCS = fileURLToPath(new URL('../docs/', import.meta.url));

/**
 * From tshark 4.0.17 on public/samples/http-get.pcap:
 *   1 [SYN], 2 [SYN, ACK], 3 [ACK], 4 GET / HTTP/1.1 … 10 [FIN, ACK], 11 [FIN, ACK], 12 [ACK]
 *   tshark -r http-get.pcap -Y 'tcp.len > 0' | wc -l   → 3 (frames 4, 6, 8)
 *   tshark -r http-get.pcap -Y 'tcp.flags.fin == 1'    → 10, 11
 */
const DATA_FRAMES = [4, 6, 8];

/** Click the list row of `frame` (by class, so it works in any language). */
async function selectRow(page: Page, frame: number) {
  const list = page.locator('.plist');
  await list.locator(`[role="row"]`).filter({ has: page.locator(`.col-num:text-is("${frame}")`) }).click();
  await expect(list.locator('[role="row"][aria-selected="true"] .col-num')).toHaveText(String(frame));
}

/** Expand a tree item (by its label text) and return the locator of the item. */
async function expand(page: Page, text: string | RegExp) {
  const item = ui(page).items.filter({ hasText: text }).first();
  await item.click();
  if ((await item.getAttribute('aria-expanded')) === 'false') await page.keyboard.press('ArrowRight');
  await expect(item).toHaveAttribute('aria-expanded', 'true');
  return item;
}

/** Select frame 1's SYN flag in the tree. */
async function selectSynFlag(page: Page) {
  await selectRow(page, 1);
  await expand(page, /^Transmission Control Protocol/);
  await expand(page, /Flags: 0x002/);
  const syn = ui(page).items.filter({ hasText: /= Syn: Set/ });
  await syn.click();
  await expect(syn).toHaveAttribute('aria-selected', 'true');
  return syn;
}

const explanation = (page: Page, name = 'Explanation') => page.getByRole('complementary', { name });

test.describe('projector mode at 1280×720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('P turns it on: large list text, high contrast, thick selection, no Length column; Ctrl +/− resize and are remembered', async ({ page }) => {
    const errors = watchErrors(page);
    await openApp(page);
    const u = ui(page);
    await selectRow(page, 1);
    const html = page.locator('html');
    await expect(html).not.toHaveAttribute('data-projector', 'on');
    const normal = await u.row(1).locator('.col-info').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(normal).toBeLessThan(20);

    await page.keyboard.press('p');
    await expect(html).toHaveAttribute('data-projector', 'on');
    await expect(html).toHaveAttribute('data-theme', 'contrast');
    await expect(page.getByRole('button', { name: 'Projector mode' })).toHaveAttribute('aria-pressed', 'true');

    // the text of every visible list row is at least 20 px high (font size and the text's own box)
    const measure = () =>
      u.rows.evaluateAll((rows) =>
        rows.map((row) => {
          const cell = row.querySelector('.col-info') as HTMLElement;
          const range = document.createRange();
          range.selectNodeContents(cell);
          return {
            font: parseFloat(getComputedStyle(cell).fontSize),
            text: range.getBoundingClientRect().height,
            row: row.getBoundingClientRect().height,
          };
        }),
      );
    const sizes = await measure();
    expect(sizes.length).toBeGreaterThan(3);
    for (const s of sizes) {
      expect(s.font).toBeGreaterThanOrEqual(20);
      expect(s.text).toBeGreaterThanOrEqual(20);
      expect(s.row).toBeGreaterThanOrEqual(s.text);
    }
    // the tree and the bytes too
    const treeFont = await u.items.first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(treeFont).toBeGreaterThanOrEqual(20);
    const bytesFont = await u.bytes.locator('.hexdump').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(bytesFont).toBeGreaterThanOrEqual(20);

    // fewer columns: Time and Length are gone, the others stay readable
    await expect(u.list.getByRole('columnheader', { name: 'Length' })).toBeHidden();
    await expect(u.list.getByRole('columnheader', { name: 'Time' })).toBeHidden();
    for (const c of ['No.', 'Source', 'Destination', 'Protocol', 'Info']) await expect(u.list.getByRole('columnheader', { name: c, exact: true })).toBeVisible();

    // a thick frame around the selected row
    const shadow = await u.selectedRow.evaluate((el) => getComputedStyle(el).boxShadow);
    expect(shadow).toMatch(/inset/);

    // Ctrl + makes it larger, and the size is remembered across a reload
    await u.list.focus();
    await page.keyboard.press('Control+Equal');
    await page.keyboard.press('Control+Equal');
    const bigger = (await measure())[0]!.font;
    expect(bigger).toBe(sizes[0]!.font + 4);
    await page.reload();
    await expect(u.status).toContainText('Packets: 12');
    await expect(html).toHaveAttribute('data-projector', 'on');
    expect((await measure())[0]!.font).toBe(bigger);
    await u.list.focus();
    await page.keyboard.press('Control+Minus');
    expect((await measure())[0]!.font).toBe(bigger - 2);

    // P again leaves projector mode
    await page.keyboard.press('p');
    await expect(html).not.toHaveAttribute('data-projector', 'on');
    await expect(u.list.getByRole('columnheader', { name: 'Length' })).toBeVisible();
    errors.check();
  });

  test('P typed in the filter bar is text, not the shortcut', async ({ page }) => {
    await openApp(page);
    const u = ui(page);
    await u.filter.click();
    await page.keyboard.type('tcp');
    await expect(u.filter).toHaveValue('tcp');
    await page.keyboard.press('p');
    await expect(u.filter).toHaveValue('tcpp');
    await expect(page.locator('html')).not.toHaveAttribute('data-projector', 'on');
  });
});

test.describe('explanations', () => {
  test('the panel explains the SYN flag and names the handshake with its packets; the tree shows it as a tooltip', async ({ page }) => {
    const errors = watchErrors(page);
    await openApp(page);
    const panel = explanation(page);
    await expect(panel).toBeVisible();
    const syn = await selectSynFlag(page);
    await expect(panel).toContainText('SYN (Synchronize): a request to open a connection');
    await expect(panel).toContainText('In this segment: set (1).');
    await expect(panel).toContainText('tcp.flags.syn');
    await expect(panel).toContainText('3-way handshake: #1 SYN, #2 SYN/ACK, #3 ACK');
    await expect(syn).toHaveAttribute('title', /SYN \(Synchronize\): a request to open a connection[\s\S]*tcp\.flags\.syn/);

    // a step of the episode selects its packet; the SYN/ACK's ack explains ISN + 1
    await panel.getByRole('button', { name: '#2 SYN/ACK' }).click();
    await expect(ui(page).selectedRow.locator('.col-num')).toHaveText('2');
    const ack = ui(page).items.filter({ hasText: /^Acknowledgment Number: 1/ });
    await ack.click();
    await expect(panel).toContainText('ISN + 1');

    // the calculated window of a data segment: value × 2^scale with this packet's numbers
    await selectRow(page, 4);
    await ui(page).items.filter({ hasText: /^\[Calculated window size: 65536\]/ }).click();
    await expect(panel).toContainText('= 64 × 1024 = 65536 bytes');
    await expect(panel).not.toContainText('3-way handshake');

    // the FIN close names its three packets
    await selectRow(page, 11);
    await expect(panel).toContainText('Connection release (FIN): #10 FIN/ACK, #11 FIN/ACK, #12 ACK');

    // ports: which range
    await expand(page, /^Transmission Control Protocol/);
    await ui(page).items.filter({ hasText: /^Source Port: 43874/ }).click();
    await expect(panel).toContainText('43874 is in the range Linux uses for ephemeral client ports');
    errors.check();
  });
});

test.describe('Japanese', () => {
  test('switching to Japanese shows Japanese menus and the SYN explanation in Japanese, and is remembered', async ({ page }) => {
    const errors = watchErrors(page);
    await openApp(page);
    await page.getByRole('button', { name: 'View' }).click();
    await expect(page.getByRole('menu', { name: 'View' })).toBeVisible();
    await page.getByRole('menuitem', { name: '日本語' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'ja');

    // menus, toolbar, panes and the status bar in Japanese
    await page.getByRole('button', { name: '分析' }).click();
    const menu = page.getByRole('menu', { name: '分析' });
    await expect(menu.getByRole('menuitem', { name: 'TCPストリームを追跡' })).toBeVisible();
    await expect(menu.getByRole('menuitem', { name: '会話' })).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: '表示' })).toBeVisible();
    await expect(page.getByRole('grid', { name: 'パケット一覧' }).getByRole('columnheader', { name: '送信元' })).toBeVisible();
    await expect(page.getByRole('status')).toContainText('パケット: 12 · 表示: 12');

    // the SYN explanation in Japanese; field names and filter syntax stay as Wireshark has them
    await selectRow(page, 1);
    const tree = page.getByRole('tree', { name: 'パケット詳細' });
    await tree.getByRole('treeitem').filter({ hasText: /^Transmission Control Protocol/ }).click();
    await page.keyboard.press('ArrowRight');
    await tree.getByRole('treeitem').filter({ hasText: /Flags: 0x002/ }).click();
    await page.keyboard.press('ArrowRight');
    await tree.getByRole('treeitem').filter({ hasText: /= Syn: Set/ }).click();
    const panel = explanation(page, '解説');
    await expect(panel).toContainText('SYN (Synchronize、同期): 接続の開始を要求します。');
    await expect(panel).toContainText('tcp.flags.syn');
    await expect(panel).toContainText('3ウェイハンドシェイク: #1 SYN, #2 SYN/ACK, #3 ACK');

    // the tree's context menu in Japanese: 列として追加 (Apply as Column) adds the Syn column, whose header
    // menu is in Japanese too; the values stay as Wireshark shows them
    await tree.getByRole('treeitem').filter({ hasText: /= Syn: Set/ }).click({ button: 'right' });
    const treeMenu = page.getByRole('menu', { name: 'パケット詳細の項目' });
    await expect(treeMenu.getByRole('menuitem', { name: 'フィルタとして適用' })).toBeVisible();
    await treeMenu.getByRole('menuitem', { name: /^列として追加/ }).click();
    const list = page.getByRole('grid', { name: 'パケット一覧' });
    await list.getByRole('columnheader', { name: 'Syn', exact: true }).click({ button: 'right' });
    const colMenu = page.getByRole('menu', { name: '列' });
    await expect(colMenu.getByRole('menuitemcheckbox', { name: '値を名前で表示' })).toHaveAttribute('aria-checked', 'true');
    await page.screenshot({ path: '/tmp/columns-ja.png' });
    await colMenu.getByRole('menuitem', { name: 'この列を削除' }).click();
    await expect(list.getByRole('columnheader', { name: 'Syn', exact: true })).toHaveCount(0);

    // remembered
    await page.reload();
    await expect(page.getByRole('status')).toContainText('パケット: 12');
    await expect(page.getByRole('button', { name: '分析' })).toBeVisible();

    // and back to English
    await page.getByRole('button', { name: '表示' }).click();
    await expect(page.getByRole('menu', { name: '表示' })).toBeVisible();
    await page.getByRole('menuitem', { name: 'English' }).click();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('button', { name: 'Analyze' })).toBeVisible();
    errors.check();
  });

  test.describe('with a Japanese browser', () => {
    test.use({ locale: 'ja-JP' });
    test('the language follows the browser', async ({ page }) => {
      await page.goto('/');
      await expect(page.getByRole('status')).toContainText('パケット: 12 · 表示: 12');
      await expect(page.getByRole('button', { name: '開く', exact: true })).toBeVisible();
    });
  });
});

test.describe('step mode', () => {
  test('→ three times from packet 1 selects packet 4, with tree, bytes and the diagram in sync', async ({ page }) => {
    const errors = watchErrors(page);
    await openApp(page);
    const u = ui(page);
    await page.getByRole('button', { name: 'Sequence diagram', exact: true }).click();
    const diagram = page.getByRole('region', { name: 'Sequence diagram pane' });
    await expect(diagram.locator('[data-frame="1"]')).toBeVisible();
    await selectRow(page, 1);
    await expect(diagram.locator('[data-frame="1"]')).toHaveClass(/\bsel\b/);

    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('4');
    await expect(u.items.first()).toContainText('Frame 4:');
    await expect(u.bytes).toContainText('GET / HTTP/1.1'.slice(0, 4));
    await expect(diagram.locator('[data-frame="4"]')).toHaveClass(/\bsel\b/);
    await expect(diagram.locator('[data-frame="1"]')).not.toHaveClass(/\bsel\b/);

    await page.keyboard.press('ArrowLeft');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('3');
    await expect(diagram.locator('[data-frame="3"]')).toHaveClass(/\bsel\b/);

    // the list's own keys still work
    await page.keyboard.press('ArrowDown');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('4');
    errors.check();
  });

  test('steps follow the display filter; PageDown / PageUp step in projector mode (a clicker)', async ({ page }) => {
    await openApp(page);
    const u = ui(page);
    await u.filter.fill('tcp.len > 0');
    await u.filter.press('Enter');
    await expect(u.status).toContainText(`Displayed: ${DATA_FRAMES.length}`);
    await selectRow(page, 4);
    await page.keyboard.press('ArrowRight');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('6');
    await page.keyboard.press('p');
    await page.keyboard.press('PageDown');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('8');
    await page.keyboard.press('PageUp');
    await page.keyboard.press('PageUp');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('4');
  });

  test('Space plays through the packets, Esc stops', async ({ page }) => {
    await openApp(page);
    const u = ui(page);
    // ×1: the sample's packets are microseconds apart, so each step takes the shortest step time (0.4 s)
    await page.getByRole('combobox', { name: 'Playback speed' }).selectOption('1');
    await selectRow(page, 1);
    await page.keyboard.press('Space');
    const play = page.getByRole('button', { name: 'Stop (Esc)' });
    await expect(play).toHaveAttribute('aria-pressed', 'true');
    const at = async () => Number(await u.selectedRow.locator('.col-num').textContent());
    await expect.poll(at, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: 'Play through the packets (Space)' })).toHaveAttribute('aria-pressed', 'false');
    const stoppedAt = Number(await u.selectedRow.locator('.col-num').textContent());
    await page.waitForTimeout(400);
    await expect(u.selectedRow.locator('.col-num')).toHaveText(String(stoppedAt));
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(12);
  });
});

test.describe('lesson links', () => {
  test('a hash with sample, filter and frame restores all three, also after a reload; working updates it', async ({ page }) => {
    const errors = watchErrors(page);
    const u = ui(page);
    await page.goto('/#sample=http-get.pcap&filter=tcp.len%20%3E%200&frame=6');
    await expect(u.status).toContainText(`Packets: 12 · Displayed: ${DATA_FRAMES.length}`);
    await expect(u.filter).toHaveValue('tcp.len > 0');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('6');
    await expect(u.items.first()).toContainText('Frame 6:');

    await page.reload();
    await expect(u.status).toContainText(`Displayed: ${DATA_FRAMES.length}`);
    await expect(u.filter).toHaveValue('tcp.len > 0');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('6');

    // selecting another packet and changing the filter update the link
    await selectRow(page, 8);
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('frame=8');
    await u.filter.fill('tcp.flags.fin == 1');
    await u.filter.press('Enter');
    await expect(u.status).toContainText('Displayed: 2');
    await selectRow(page, 11);
    await expect.poll(() => page.evaluate(() => decodeURIComponent(location.hash.replace(/\+/g, ' ')))).toBe('#sample=http-get.pcap&filter=tcp.flags.fin == 1&frame=11');
    await page.reload();
    await expect(u.status).toContainText('Displayed: 2');
    await expect(u.selectedRow.locator('.col-num')).toHaveText('11');
    errors.check();
  });

  test('a link about a file the user opened asks for that file', async ({ page }) => {
    await page.goto('/#file=lesson3.pcap&frame=2');
    await expect(ui(page).status).toContainText('lesson3.pcap');
    await expect(ui(page).status).toContainText('open it to continue at frame 2');
  });
});

test.describe('screenshots of projector mode', () => {
  test.use({ viewport: { width: 1280, height: 720 } });
  for (const lang of ['en', 'ja'] as const) {
    test(`projector mode in ${lang === 'en' ? 'English' : 'Japanese'}`, async ({ page }) => {
      await page.addInitScript((l) => {
        localStorage.setItem('wirelens.lang', l);
        // a teacher's layout: more room for the tree and its explanation, less for the bytes
        localStorage.setItem('wirelens.panes.v1', JSON.stringify([0.43, 0.39, 0.18]));
      }, lang);
      await page.goto('/#sample=http-get.pcap&frame=1&view=diagram');
      await expect(page.locator('.prow').nth(3)).toBeVisible();
      await page.getByRole('button', { name: lang === 'en' ? 'Projector mode' : 'プロジェクターモード' }).click();
      const tree = page.getByRole('tree');
      await tree.getByRole('treeitem').filter({ hasText: /^Transmission Control Protocol/ }).click();
      await page.keyboard.press('ArrowRight');
      await tree.getByRole('treeitem').filter({ hasText: /Flags: 0x002/ }).click();
      await page.keyboard.press('ArrowRight');
      await tree.getByRole('treeitem').filter({ hasText: /= Syn: Set/ }).click();
      await expect(page.getByRole('complementary')).toContainText(lang === 'en' ? '3-way handshake' : '3ウェイハンドシェイク');
      await page.mouse.move(0, 0);
      const out = process.env.UPDATE_DOCS ? `${DOCS}projector-${lang}.png` : `/tmp/wirelens-projector-${lang}.png`;
      await page.screenshot({ path: out });
    });
  }
});
