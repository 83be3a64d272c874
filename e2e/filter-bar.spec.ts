// The display-filter bar as a person uses it: autocomplete from the registry, recent filters, the
// bookmark menu, Ctrl+/ and Esc, yellow warnings, and counts that agree with tshark.
import { test, expect, type Page } from '@playwright/test';
import { openApp, ui, watchErrors, CORPUS } from './helpers';

const REFUSED = `${CORPUS}/generated/02_tcp_connection_refused.pcap`;

// these walk through many steps each; leave room for a busy machine
test.describe.configure({ timeout: 90_000 });

function bar(page: Page) {
  return {
    el: page.locator('.filterbar'),
    completions: page.getByRole('listbox', { name: 'Filter completions' }),
    history: page.getByRole('listbox', { name: 'Recent display filters' }),
    historyButton: page.getByRole('button', { name: 'Recent display filters' }),
    bookmarksButton: page.getByRole('button', { name: 'Display filter bookmarks' }),
    bookmarks: page.getByRole('menu', { name: 'Display filter bookmarks' }),
  };
}

async function apply(page: Page, text: string) {
  const u = ui(page);
  await u.filter.fill(text);
  await u.filter.press('Enter');
}

test('typing a protocol name and a dot offers its fields with their descriptions; arrows and Enter complete', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  const b = bar(page);

  await u.filter.click();
  await u.filter.pressSequentially('tcp.');
  await expect(b.completions).toBeVisible();
  const options = b.completions.getByRole('option');
  expect(await options.count()).toBeGreaterThan(20);
  // every offer is one of tcp's fields, shown with its name and type
  const labels = await b.completions.locator('.fb-abbrev').allTextContents();
  expect(labels.every((l) => l.startsWith('tcp.'))).toBe(true);
  const port = options.filter({ has: page.locator('.fb-abbrev', { hasText: /^tcp\.port$/ }) });
  await expect(port).toContainText('Source or Destination Port');
  await expect(port).toContainText('Unsigned integer (2 bytes)');

  // narrowing as one types
  await u.filter.pressSequentially('fl');
  await expect(options.first()).toContainText('tcp.flags');
  const narrowed = await b.completions.locator('.fb-abbrev').allTextContents();
  expect(narrowed.every((l) => l.startsWith('tcp.fl'))).toBe(true);

  // Down, Down, Enter takes the second offer
  await u.filter.press('ArrowDown');
  await u.filter.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  const second = narrowed[1]!;
  await page.screenshot({ path: '/tmp/h2-complete-light.png' });
  await u.filter.press('Enter');
  await expect(u.filter).toHaveValue(second);
  await expect(b.completions).toBeHidden();
  // Enter did not apply the half-written filter
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12');

  // Tab accepts the first offer; the caret is after the completed name
  await u.filter.fill('');
  await u.filter.pressSequentially('tcp.flags.sy');
  await expect(b.completions.getByRole('option').first()).toContainText('tcp.flags.syn');
  await u.filter.press('Tab');
  await expect(u.filter).toHaveValue('tcp.flags.syn');
  await expect(u.filter).toBeFocused();
  await u.filter.pressSequentially(' == 1');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 2 (');

  // value names after == (ip.proto has them)
  await u.filter.fill('');
  await u.filter.pressSequentially('ip.proto == U');
  await expect(b.completions.getByRole('option').first()).toContainText('UDP');
  await u.filter.press('Tab');
  await expect(u.filter).toHaveValue('ip.proto == UDP');

  // Esc closes the list, a second Esc goes back to the packet list
  await u.filter.fill('');
  await u.filter.pressSequentially('ud');
  await expect(b.completions).toBeVisible();
  await u.filter.press('Escape');
  await expect(b.completions).toBeHidden();
  await expect(u.filter).toBeFocused();
  await u.filter.press('Escape');
  await expect(u.list).toBeFocused();
  errors.check();
});

test('applied filters are remembered, most recent first, and one picked from the history is applied', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const b = bar(page);

  // tshark -r public/samples/http-get.pcap -Y 'tcp.flags.syn == 1' | wc -l → 2; -Y 'frame.len > 100' → 3
  await apply(page, 'tcp.flags.syn == 1');
  await expect(u.status).toContainText('Displayed: 2 (');
  await apply(page, 'frame.len > 100');
  await expect(u.status).toContainText('Displayed: 3 (');
  await apply(page, 'tcp.flags.syn == 1');
  await expect(u.status).toContainText('Displayed: 2 (');
  await apply(page, 'frame.len > 100');
  await expect(u.status).toContainText('Displayed: 3 (');

  // Alt+Down opens the list: each filter once, newest first
  await u.filter.press('Alt+ArrowDown');
  await expect(b.history).toBeVisible();
  await expect(b.history.getByRole('option')).toHaveText(['frame.len > 100', 'tcp.flags.syn == 1']);
  await u.filter.press('Escape');
  await expect(b.history).toBeHidden();

  // the arrow at the bar's right opens it too; clicking an entry applies it
  await b.historyButton.click();
  await expect(b.history).toBeVisible();
  await page.screenshot({ path: '/tmp/h2-history-light.png' });
  await b.history.getByRole('option', { name: 'tcp.flags.syn == 1' }).click();
  await expect(b.history).toBeHidden();
  await expect(u.filter).toHaveValue('tcp.flags.syn == 1');
  await expect(u.status).toContainText('Displayed: 2 (');

  // remembered across a reload, with the one just picked on top; keyboard picking works too
  await page.goto('/'); // a fresh start (no lesson in the address)
  await expect(u.status).toContainText('Packets: 12');
  await u.filter.click();
  await u.filter.press('Alt+ArrowDown');
  await expect(b.history.getByRole('option')).toHaveText(['tcp.flags.syn == 1', 'frame.len > 100']);
  await u.filter.press('ArrowDown');
  await u.filter.press('ArrowDown');
  await u.filter.press('Enter');
  await expect(u.filter).toHaveValue('frame.len > 100');
  await expect(u.status).toContainText('Displayed: 3 (');
});

test('bookmarks: "Connection resets" shows what tshark shows; your own filters are saved and removed', async ({ page }) => {
  const errors = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  const b = bar(page);
  await u.fileInput.setInputFiles(REFUSED);
  // tshark -r /work/shared/captures/generated/02_tcp_connection_refused.pcap | wc -l → 2
  await expect(u.status).toContainText('Packets: 2 · Displayed: 2');

  await b.bookmarksButton.click();
  await expect(b.bookmarks).toBeVisible();
  await expect(b.bookmarks.getByRole('menuitem')).toContainText([
    'TCP handshake (SYN)',
    'SYN/ACK',
    'Connection resets',
    'Connection closes (FIN)',
    'Retransmissions',
    'Any TCP problem',
    'Zero window',
    'IP fragments',
    'DNS',
    'HTTP requests',
    'TLS Client Hello',
    'ARP',
    'ICMP',
    'UDP only',
  ]);
  await page.screenshot({ path: '/tmp/h2-bookmarks-light.png' });
  await b.bookmarks.getByRole('menuitem', { name: /Connection resets/ }).click();
  await expect(b.bookmarks).toBeHidden();
  await expect(u.filter).toHaveValue('tcp.flags.reset == 1');
  // tshark -r /work/shared/captures/generated/02_tcp_connection_refused.pcap -Y 'tcp.flags.reset == 1' | wc -l → 1
  await expect(u.status).toContainText('Packets: 2 · Displayed: 1 (');
  await expect(u.rows).toHaveCount(1);
  await expect(u.rows.first()).toContainText('RST');

  // save the filter in the bar under a name of one's own
  await apply(page, 'tcp.port == 11698');
  // tshark -r …/02_tcp_connection_refused.pcap -Y 'tcp.port == 11698' | wc -l → 2
  await expect(u.status).toContainText('Displayed: 2 (');
  await b.bookmarksButton.click();
  await b.bookmarks.getByRole('menuitem', { name: 'Save this filter…' }).click();
  const form = page.getByRole('dialog', { name: 'Save display filter' });
  await expect(form).toBeVisible();
  await form.getByRole('textbox', { name: 'Name' }).fill('Refused port');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();

  // it is in the menu after a reload; picking it applies it; then it can be removed
  await page.goto('/'); // a fresh start (no lesson in the address)
  await u.fileInput.setInputFiles(REFUSED);
  await expect(u.status).toContainText('Packets: 2 · Displayed: 2');
  // tshark -r …/02_tcp_connection_refused.pcap -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' | wc -l → 1
  await apply(page, 'tcp.flags.syn == 1 && tcp.flags.ack == 0');
  await expect(u.status).toContainText('Displayed: 1 (');
  await b.bookmarksButton.click();
  await expect(b.bookmarks.getByText('My filters')).toBeVisible();
  await b.bookmarks.getByRole('menuitem', { name: /Refused port/ }).click();
  await expect(u.filter).toHaveValue('tcp.port == 11698');
  await expect(u.status).toContainText('Displayed: 2 (');
  await b.bookmarksButton.click();
  await b.bookmarks.getByRole('menuitem', { name: 'Remove “Refused port”' }).click();
  await b.bookmarksButton.click();
  await expect(b.bookmarks.getByRole('menuitem', { name: /Refused port/ })).toHaveCount(0);
  await expect(b.bookmarks.getByText('My filters')).toHaveCount(0);
  // the menu works from the keyboard: Escape closes it and gives the focus back to its button
  await page.keyboard.press('Escape');
  await expect(b.bookmarks).toBeHidden();
  await expect(b.bookmarksButton).toBeFocused();
  errors.check();
});

test('Ctrl+/ focuses the bar and selects its text', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  await apply(page, 'tcp.len > 0');
  await u.row(1).click();
  await expect(u.list).toBeFocused();
  await page.keyboard.press('Control+/');
  await expect(u.filter).toBeFocused();
  const sel = await u.filter.evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd, el.value.length]);
  expect(sel).toEqual([0, 'tcp.len > 0'.length, 'tcp.len > 0'.length]);
  // typing replaces the selected filter
  await page.keyboard.type('udp');
  await expect(u.filter).toHaveValue('udp');
});

test('a filter Wireshark 4.0 flags turns the bar yellow and says why', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const b = bar(page);

  await u.filter.fill('tls');
  await expect(b.el).toHaveClass(/\bvalid\b/);
  await page.waitForTimeout(300);
  const green = await b.el.evaluate((el) => getComputedStyle(el).backgroundColor);

  await u.filter.fill('ssl');
  await expect(b.el).toHaveClass(/\bwarn\b/);
  const warning = page.locator('#filter-warning');
  await expect(warning).toHaveText('"ssl" is deprecated in favour of "tls".');
  await expect(u.filter).toHaveAttribute('aria-describedby', 'filter-warning');
  // (the colour fades in: wait for it to settle on a hue that is not green)
  await expect.poll(() => b.el.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(green);
  await page.waitForTimeout(300);
  const yellow = await b.el.evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, bl] = yellow.match(/\d+/g)!.map(Number);
  expect(r! > bl! && g! > bl!, `${yellow} is a yellow`).toBe(true);
  await page.screenshot({ path: '/tmp/h2-warning-light.png' });

  // it still applies, as in Wireshark (tshark -r public/samples/http-get.pcap -Y 'tcp.port ~= 80' | wc -l → 12)
  await u.filter.fill('tcp.port ~= 80');
  await expect(warning).toHaveText('The operator "~=" is deprecated, use "!==" instead.');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12 (');

  await u.filter.fill('tcp.port !== 80');
  await expect(b.el).toHaveClass(/\bvalid\b/);
  await expect(warning).toHaveCount(0);
});

test('tcp.port == 11699 displays what tshark displays; tcp.port = = 1 turns red and keeps the last result', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const b = bar(page);
  // tshark -r public/samples/http-get.pcap -Y 'tcp.flags.fin == 1' | wc -l → 2
  await apply(page, 'tcp.flags.fin == 1');
  await expect(u.status).toContainText('Packets: 12 · Displayed: 2 (');
  // tshark -r public/samples/http-get.pcap -Y 'tcp.port == 11699' | wc -l → 12
  await u.filter.fill('');
  await u.filter.pressSequentially('tcp.port == 11699');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12 (');
  await expect(u.rows).toHaveCount(12);

  await u.filter.fill('');
  await u.filter.pressSequentially('tcp.port = = 1');
  await expect(b.el).toHaveClass(/\binvalid\b/);
  await u.filter.press('Enter');
  await expect(page.getByRole('alert')).toContainText('"=" was unexpected in this context.');
  await expect(page.getByRole('alert')).toContainText('still showing “tcp.port == 11699”');
  await expect(u.status).toContainText('Packets: 12 · Displayed: 12 (');
  await page.screenshot({ path: '/tmp/h2-error-light.png' });
});

test('the popups look right in the dark theme too', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  const b = bar(page);
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await u.filter.click();
  await u.filter.pressSequentially('ip.');
  await expect(b.completions).toBeVisible();
  await u.filter.press('ArrowDown');
  await page.screenshot({ path: '/tmp/h2-complete-dark.png' });
  await u.filter.press('Escape');
  await u.filter.fill('bootp');
  await expect(page.locator('#filter-warning')).toHaveText('"bootp" is deprecated in favour of "dhcp".');
  await page.screenshot({ path: '/tmp/h2-warning-dark.png' });
  await b.bookmarksButton.click();
  await expect(b.bookmarks).toBeVisible();
  await page.screenshot({ path: '/tmp/h2-bookmarks-dark.png' });
});
