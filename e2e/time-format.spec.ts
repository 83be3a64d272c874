// View › Time Display Format: the Time column in each of Wireshark's formats, compared with what tshark -t
// prints (test/fixtures/golden/time, made by scripts/time-goldens.mjs with TZ=Asia/Kolkata, the browser's time
// zone here), for all frames and for a filter; Ctrl+Alt+digit chooses a format; the choice is remembered.
import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { openApp, ui, watchErrors } from './helpers';

interface Golden {
  tz: string;
  filter: string;
  all: Record<string, string[]>;
  filtered: Record<string, string[]>;
}
const golden = (name: string): Golden => JSON.parse(readFileSync(fileURLToPath(new URL(`../test/fixtures/golden/time/${name}.json`, import.meta.url)), 'utf8'));
// the default sample is a copy of this fixture
const SAMPLE_TIMES = golden('01_http_get_loopback.pcap');
const NSEC = fileURLToPath(new URL('../test/fixtures/captures/01_http_get_loopback_nsec.pcap', import.meta.url));
const NSEC_TIMES = golden('01_http_get_loopback_nsec.pcap');

const LABELS: Record<string, string> = {
  ad: 'Date and Time of Day (1970-01-01 01:02:03.123456)',
  adoy: 'Year, Day of Year, and Time of Day (1970/001 01:02:03.123456)',
  a: 'Time of Day (01:02:03.123456)',
  e: 'Seconds Since 1970-01-01',
  r: 'Seconds Since Beginning of Capture',
  d: 'Seconds Since Previous Captured Packet',
  dd: 'Seconds Since Previous Displayed Packet',
  ud: 'UTC Date and Time of Day (1970-01-01 01:02:03.123456)',
  udoy: 'UTC Year, Day of Year, and Time of Day (1970/001 01:02:03.123456)',
  u: 'UTC Time of Day (01:02:03.123456)',
};

/** The entry's accessible name: its label, then its shortcut if it has one. */
const label = (fmt: string) => new RegExp(`^${LABELS[fmt]!.replace(/[().]/g, '\\$&')}( Ctrl\\+Alt\\+\\d)?$`);

test.use({ timezoneId: SAMPLE_TIMES.tz });

async function choose(page: Page, fmt: string) {
  await page.getByRole('button', { name: 'View' }).click();
  await page.getByRole('menuitem', { name: 'Time Display Format' }).click();
  await page.getByRole('menuitemradio', { name: label(fmt) }).click();
  await expect(page.getByRole('menu')).toHaveCount(0);
}

/** The Time cells of the rows shown, top to bottom. */
const timeCells = (page: Page) => page.getByRole('grid').locator('[role="row"]:not([aria-rowindex="1"]) .col-time');

test('every format shows the times tshark -t prints; delta displayed follows the filter', async ({ page }) => {
  const errs = watchErrors(page);
  await page.goto('/');
  await page.evaluate(() => localStorage.removeItem('wirelens.timeFormat'));
  await openApp(page);
  const u = ui(page);
  // the default: seconds since the beginning of the capture
  await expect(timeCells(page)).toHaveText(SAMPLE_TIMES.all.r!);

  for (const fmt of Object.keys(LABELS)) {
    await choose(page, fmt);
    await expect(timeCells(page), `-t ${fmt}`).toHaveText(SAMPLE_TIMES.all[fmt]!);
    // the column is wide enough for its text
    const clipped = await timeCells(page).evaluateAll((els) => els.filter((e) => e.scrollWidth > e.clientWidth).length);
    expect(clipped, `-t ${fmt}: cells cut off`).toBe(0);
  }
  // the menu marks the format in use
  await page.getByRole('button', { name: 'View' }).click();
  await page.getByRole('menuitem', { name: 'Time Display Format' }).click();
  await expect(page.getByRole('menuitemradio', { name: label('u') })).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByRole('menuitemradio', { checked: true })).toHaveCount(1);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  // a filter: "since previous displayed" measures from the row above, "since previous captured" does not
  await u.filter.fill(SAMPLE_TIMES.filter);
  await u.filter.press('Enter');
  await expect(u.status).toContainText(`Displayed: ${SAMPLE_TIMES.filtered.dd!.length}`);
  for (const fmt of ['dd', 'd', 'r', 'ad']) {
    await choose(page, fmt);
    const want = SAMPLE_TIMES.filtered[fmt]!;
    await expect(ui(page).rows.locator('.col-num')).toHaveText(want.map((l) => l.split('\t')[0]!));
    await expect(timeCells(page), `-t ${fmt} -Y ${SAMPLE_TIMES.filter}`).toHaveText(want.map((l) => l.split('\t')[1]!));
  }
  errs.check();
});

test('Ctrl+Alt+digit chooses a format as in Wireshark, and the choice is remembered', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.removeItem('wirelens.timeFormat'));
  await openApp(page);
  const u = ui(page);
  await u.row(1).click();
  await page.keyboard.press('Control+Alt+1');
  await expect(timeCells(page).first()).toHaveText(SAMPLE_TIMES.all.ad![0]!);
  await page.keyboard.press('Control+Alt+3');
  await expect(timeCells(page).first()).toHaveText(SAMPLE_TIMES.all.e![0]!);
  await page.keyboard.press('Control+Alt+5');
  await expect(timeCells(page)).toHaveText(SAMPLE_TIMES.all.d!);
  // typed in the filter bar, the keys are the filter's, not a shortcut
  await u.filter.click();
  await page.keyboard.press('Control+Alt+4');
  await expect(timeCells(page)).toHaveText(SAMPLE_TIMES.all.d!);

  await page.reload();
  await expect(u.status).toContainText('Packets: 12');
  await expect(timeCells(page)).toHaveText(SAMPLE_TIMES.all.d!);

  // a nanosecond capture shows nine digits in every format
  await u.fileInput.setInputFiles(NSEC);
  await expect(u.status).toContainText('01_http_get_loopback_nsec.pcap');
  await expect(timeCells(page)).toHaveText(NSEC_TIMES.all.d!);
  await page.keyboard.press('Control+Alt+7');
  await expect(timeCells(page)).toHaveText(NSEC_TIMES.all.ud!);
  expect(NSEC_TIMES.all.ud![0]).toMatch(/\.\d{9}$/);

  // back to the default, which is not stored
  await page.keyboard.press('Control+Alt+4');
  await expect(timeCells(page)).toHaveText(NSEC_TIMES.all.r!);
  expect(await page.evaluate(() => localStorage.getItem('wirelens.timeFormat'))).toBeNull();
});

test('the submenu in Japanese', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('wirelens.lang', 'ja'));
  await page.goto('/');
  await expect(ui(page).status).toContainText('パケット: 12');
  await page.getByRole('button', { name: '表示' }).click();
  await page.getByRole('menuitem', { name: '時刻の表示形式' }).click();
  await page.getByRole('menuitemradio', { name: '直前に表示したパケットからの秒数' }).click();
  await expect(timeCells(page)).toHaveText(SAMPLE_TIMES.all.dd!);
});
