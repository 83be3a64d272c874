// Statistics, graphs and export (issue 10): the I/O graph of the sample, the Stevens and tcptrace graphs of a
// lossy capture with its retransmissions marked, the protocol hierarchy as tshark counts it, marking packets,
// and exporting the filtered (or marked) packets, which open again with the filter's packet count.
import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ui, watchErrors, SAMPLE } from './helpers';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/captures/', import.meta.url));
const LOSSY = `${FIXTURES}zeek__retransmit-fast009.pcap`;
const SHOTS = '/tmp/h5';
mkdirSync(SHOTS, { recursive: true });

function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** The page with its sample open (a loaded machine can take a while to start the worker). */
async function openApp(page: Page) {
  await page.goto('/');
  await expect(ui(page).status).toContainText('Packets: 12 · Displayed: 12', { timeout: 30_000 });
}

async function menu(page: Page, menuName: string, item: string) {
  await page.getByRole('button', { name: menuName, exact: true }).click();
  await page.getByRole('menu', { name: menuName }).getByRole('menuitem', { name: item }).click();
}

async function openCapture(page: Page, path: string, name: string) {
  await ui(page).fileInput.setInputFiles(path);
  const n = tshark(['-r', path]).trim().split('\n').length;
  await expect(ui(page).status).toContainText(`Packets: ${n}`);
  await expect(page).toHaveTitle(new RegExp(name.replace(/\./g, '\\.')));
}

test('I/O graph of the sample: one bar series holding every packet; clicking a bar selects its first packet', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  // packet 5 is selected; the graph will select another one
  await u.row(5).click();
  await expect(u.selectedRow).toHaveAttribute('aria-rowindex', '6');
  await menu(page, 'Statistics', 'I/O Graph');
  const d = page.getByRole('dialog', { name: 'I/O Graph' });
  await expect(d).toBeVisible();
  const chart = d.getByRole('img', { name: 'I/O Graph' });
  await expect(chart).toBeVisible();
  // one series, drawn as bars
  await expect(d.locator('path.chart-series')).toHaveCount(1);
  const bars = d.locator('path.chart-series.k-bar');
  await expect(bars).toHaveCount(1);
  await expect(d.getByRole('list', { name: 'Series' }).getByRole('button')).toHaveText(['All packets']);
  const nBars = Number(await bars.getAttribute('data-count'));
  expect(nBars).toBeGreaterThan(0);
  await expect(d.getByRole('status').or(d.locator('.conv-status'))).toContainText('12 packets in');
  await page.screenshot({ path: `${SHOTS}/iograph-light.png` });

  // the data table has the same numbers: every packet once
  await d.getByRole('button', { name: 'Table' }).click();
  const table = d.getByRole('table', { name: 'I/O Graph data' });
  const ys = await table.locator('tbody tr td:nth-child(3)').allTextContents();
  expect(ys).toHaveLength(Number(await d.locator('.conv-status').textContent().then((t) => /in ([\d,]+) intervals/.exec(t ?? '')![1]!.replace(/,/g, ''))));
  expect(ys.reduce((a, y) => a + Number(y), 0)).toBe(12);
  expect(ys.filter((y) => Number(y) > 0)).toHaveLength(nBars);
  await d.getByRole('button', { name: 'Table' }).click();

  // click the first bar: its first packet (1) is selected
  const box = (await d.locator('path.chart-series.k-bar').boundingBox())!;
  await page.mouse.click(box.x + 2, box.y + box.height - 2);
  await expect(u.selectedRow).toHaveAttribute('aria-rowindex', '2');

  // a second series with its own filter: the TCP payload packets (as tshark counts them)
  await d.getByRole('button', { name: '+ Add series' }).click();
  const filters = d.getByRole('textbox', { name: 'Series display filter' });
  await filters.nth(1).fill('tcp.len > 0');
  await d.getByRole('textbox', { name: 'Series name' }).nth(1).fill('Payload');
  await d.getByRole('button', { name: 'Apply' }).click();
  await expect(d.locator('path.chart-series')).toHaveCount(2);
  await d.getByRole('button', { name: 'Table' }).click();
  const payload = await table.locator('tbody tr').filter({ has: page.getByRole('cell', { name: 'Payload', exact: true }) }).locator('td:nth-child(3)').allTextContents();
  expect(payload.reduce((a, y) => a + Number(y), 0)).toBe(tshark(['-r', SAMPLE, '-Y', 'tcp.len > 0']).trim().split('\n').length);
  // a filter that does not compile says so
  await d.getByRole('button', { name: 'Table' }).click();
  await filters.nth(1).fill('tcp.len >');
  await d.getByRole('button', { name: 'Apply' }).click();
  await expect(d.getByRole('alert')).toBeVisible();
  await expect(filters.nth(1)).toHaveAttribute('aria-invalid', 'true');
  errs.check();
});

test('Stevens and tcptrace graphs of a lossy stream mark its retransmissions; a click selects the packet', async ({ page }) => {
  test.setTimeout(60_000);
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await openCapture(page, LOSSY, 'zeek__retransmit-fast009.pcap');
  const retrans = tshark(['-r', LOSSY, '-Y', 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission', '-T', 'fields', '-e', 'frame.number'])
    .trim()
    .split('\n')
    .map(Number);
  expect(retrans.length).toBeGreaterThan(0);
  // select the first retransmission (a server segment) with the keyboard: the graph shows the server's direction
  await u.row(1).click();
  for (let i = 1; i < retrans[0]!; i++) await page.keyboard.press('ArrowDown');
  await expect(u.selectedRow).toHaveAttribute('aria-rowindex', String(retrans[0]! + 1));
  await menu(page, 'Statistics', 'TCP Stream Graphs');
  const d = page.getByRole('dialog', { name: /TCP Stream Graph/ });
  await expect(d).toBeVisible();
  await expect(d.getByRole('radio', { name: 'Stevens' })).toHaveAttribute('aria-checked', 'true');
  await expect(d.getByRole('heading')).toContainText('192.168.0.27:80 → 10.0.88.85:50368');
  const key = d.getByRole('list', { name: 'Series' }).getByRole('button', { name: /Retransmissions/ });
  await expect(key).toHaveText(`Retransmissions (${retrans.length})`);
  const marks = d.locator('path.chart-series[data-series="retrans"]');
  await expect(marks).toHaveAttribute('data-count', String(retrans.length));
  await expect(marks).toHaveClass(/k-cross/);
  // retransmissions are drawn in another colour than the other segments
  expect(await marks.getAttribute('stroke')).not.toBe(await d.locator('path.chart-series[data-series="segments"]').getAttribute('fill'));
  await page.screenshot({ path: `${SHOTS}/stevens-light.png` });

  // export the chart as SVG and as PNG
  const [svgDl] = await Promise.all([page.waitForEvent('download'), d.getByRole('button', { name: 'SVG', exact: true }).click()]);
  expect(svgDl.suggestedFilename()).toBe('wirelens-tcp-stream-0-stevens.svg');
  await svgDl.saveAs(`${SHOTS}/${svgDl.suggestedFilename()}`);
  const svgText = readFileSync(`${SHOTS}/${svgDl.suggestedFilename()}`, 'utf8');
  expect(svgText).toContain('<svg');
  expect(svgText).toContain(`data-series="retrans" data-count="${retrans.length}"`);
  const [pngDl] = await Promise.all([page.waitForEvent('download'), d.getByRole('button', { name: 'PNG', exact: true }).click()]);
  expect(pngDl.suggestedFilename()).toBe('wirelens-tcp-stream-0-stevens.png');
  await pngDl.saveAs(`${SHOTS}/${pngDl.suggestedFilename()}`);
  expect([...readFileSync(`${SHOTS}/${pngDl.suggestedFilename()}`).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

  // tcptrace: segments as bars, retransmitted ones apart, the ACK and window lines
  await d.getByRole('radio', { name: 'tcptrace' }).click();
  await expect(d.locator('path.chart-series[data-series="retrans"]')).toHaveAttribute('data-count', String(retrans.length));
  await expect(d.locator('path.chart-series[data-series="ack"]')).toHaveClass(/k-step/);
  await expect(d.locator('path.chart-series[data-series="rwin"]')).toBeVisible();

  // zoom with the wheel, then reset
  const svg = d.getByRole('img', { name: /tcptrace graph/ });
  const box = (await svg.boundingBox())!;
  const before = await d.locator('path.chart-series[data-series="segments"]').getAttribute('data-count');
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -200);
  await expect.poll(async () => Number(await d.locator('path.chart-series[data-series="segments"]').getAttribute('data-count'))).toBeLessThan(Number(before));
  await d.getByRole('button', { name: 'Reset zoom' }).click();
  await expect(d.locator('path.chart-series[data-series="segments"]')).toHaveAttribute('data-count', before!);

  // clicking a retransmission (in the data table) selects it in the packet list
  await d.getByRole('radio', { name: 'Stevens' }).click();
  await d.getByRole('button', { name: 'Table' }).click();
  const last = retrans[retrans.length - 1]!;
  await d.getByRole('table').locator('tbody tr').filter({ has: page.getByRole('cell', { name: String(last), exact: true }) }).first().click();
  await expect(u.selectedRow).toHaveAttribute('aria-rowindex', String(last + 1));
  await d.getByRole('button', { name: 'Table' }).click();

  // a click on the chart picks the nearest point (the last retransmission is selected now)
  const m = (await d.locator('path.chart-series[data-series="retrans"]').boundingBox())!;
  await page.mouse.click(m.x + 5, m.y + m.height - 5);
  await expect(u.selectedRow).toHaveAttribute('aria-rowindex', String(retrans[0]! + 1));

  // the dark theme (the system's choice): the chart follows it
  const light = await d.locator('path.chart-series[data-series="segments"]').getAttribute('fill');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => d.locator('path.chart-series[data-series="segments"]').getAttribute('fill')).not.toBe(light);
  await page.screenshot({ path: `${SHOTS}/stevens-dark.png` });
  await d.getByRole('radio', { name: 'tcptrace' }).click();
  await page.screenshot({ path: `${SHOTS}/tcptrace-dark.png` });
  errs.check();
});

test('protocol hierarchy of the sample shows tshark’s packet counts', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  await menu(page, 'Statistics', 'Protocol Hierarchy');
  const d = page.getByRole('dialog', { name: 'Protocol Hierarchy Statistics' });
  const tree = d.getByRole('treegrid', { name: 'Protocol hierarchy' });
  const expected: { abbrev: string; level: number; frames: number; bytes: number }[] = [];
  for (const line of tshark(['-r', SAMPLE, '-q', '-z', 'io,phs']).split('\n')) {
    const mm = /^( *)(\S+)\s+frames:(\d+) bytes:(\d+)$/.exec(line);
    if (mm) expected.push({ abbrev: mm[2]!, level: mm[1]!.length / 2 + 1, frames: Number(mm[3]), bytes: Number(mm[4]) });
  }
  expect(expected.length).toBeGreaterThan(3);
  const rows = tree.locator('[role="row"][data-protocol]');
  await expect(rows).toHaveCount(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const r = rows.nth(i);
    await expect(r).toHaveAttribute('data-protocol', e.abbrev);
    await expect(r).toHaveAttribute('aria-level', String(e.level));
    await expect(r.locator('[data-col="packets"]')).toHaveText(e.frames.toLocaleString('en-US'));
    await expect(r.locator('[data-col="bytes"]')).toHaveText(e.bytes.toLocaleString('en-US'));
  }
  // percentages of the packets: eth carries all of them
  await expect(rows.first().getByRole('gridcell').nth(1)).toHaveText('100.0');
  // collapse tcp: its descendants go away; Apply as Filter on http
  const tcp = rows.filter({ has: page.locator('.phs-abbrev', { hasText: /^tcp$/ }) });
  await tcp.getByRole('button', { name: 'Collapse' }).click();
  await expect(rows).toHaveCount(3);
  await tcp.getByRole('button', { name: 'Expand' }).click();
  await rows.filter({ has: page.locator('.phs-abbrev', { hasText: /^http$/ }) }).click();
  await d.getByRole('button', { name: 'Apply as Filter' }).click();
  await expect(ui(page).filter).toHaveValue('http');
  await expect(ui(page).status).toContainText('Displayed: 2');
  await page.screenshot({ path: `${SHOTS}/phs-light.png` });

  // endpoints and properties
  await menu(page, 'Statistics', 'Endpoints');
  const ep = page.getByRole('dialog', { name: 'Endpoints' });
  await ep.getByRole('tab', { name: /^TCP/ }).click();
  await expect(ep.getByRole('grid', { name: 'TCP endpoints' }).locator('[role="row"][aria-rowindex]:not([aria-rowindex="1"])')).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/endpoints-light.png` });
  await ep.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(ep).toBeHidden();
  await menu(page, 'Statistics', 'Capture File Properties');
  const props = page.getByRole('dialog', { name: 'Capture File Properties' });
  const stat = props.getByRole('table', { name: 'Packet statistics' });
  await expect(stat.getByRole('row', { name: /^Packets/ })).toContainText('12');
  await expect(props).toContainText('Wireshark/tcpdump/... - pcap');
  await page.screenshot({ path: `${SHOTS}/props-light.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: `${SHOTS}/props-dark.png` });
  errs.check();
});

test('export the displayed packets as pcapng and pcap, and open them again; marked packets too', async ({ page }) => {
  test.setTimeout(90_000);
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  const filter = 'tcp.len > 0 || tcp.flags.fin == 1';
  const count = tshark(['-r', SAMPLE, '-Y', filter]).trim().split('\n').length;
  await u.filter.fill(filter);
  await u.filter.press('Enter');
  await expect(u.status).toContainText(`Displayed: ${count}`);

  for (const fmt of ['pcapng', 'pcap']) {
    await menu(page, 'File', 'Export Specified Packets…');
    const d = page.getByRole('dialog', { name: 'Export Specified Packets' });
    await expect(d.getByRole('radio', { name: /^Displayed/ })).toBeChecked();
    await d.getByRole('radio', { name: fmt, exact: true }).check();
    const [download] = await Promise.all([page.waitForEvent('download'), d.getByRole('button', { name: 'Export', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe(`http-get-displayed.${fmt}`);
    await expect(d.getByRole('status')).toContainText(`Exported ${count} packets`);
    const path = `${SHOTS}/${download.suggestedFilename()}`;
    await download.saveAs(path);
    // tshark reads the file: the same packets
    expect(tshark(['-r', path]).trim().split('\n')).toHaveLength(count);
    await d.getByRole('button', { name: 'Close', exact: true }).first().click();
    // re-open it in the page, with no filter applied
    await u.filter.fill('');
    await u.filter.press('Enter');
    await u.fileInput.setInputFiles(path);
    await expect(u.status).toContainText(`Packets: ${count} · Displayed: ${count}`);
    await page.goto('/');
    await expect(u.status).toContainText('Packets: 12');
    await u.filter.fill(filter);
    await u.filter.press('Enter');
    await expect(u.status).toContainText(`Displayed: ${count}`);
  }

  // mark two packets with Ctrl+M and export only those, as CSV
  await u.filter.fill('');
  await u.filter.press('Enter');
  await expect(u.status).toContainText('Displayed: 12');
  await u.row(2).click();
  await page.keyboard.press('Control+m');
  await u.row(4).click();
  await page.keyboard.press('Control+m');
  await expect(u.list.locator('[role="row"].marked')).toHaveCount(2);
  await menu(page, 'File', 'Export Packet Dissections…');
  const d = page.getByRole('dialog', { name: 'Export Packet Dissections' });
  await d.getByRole('radio', { name: /^Marked packets only/ }).check();
  await d.getByRole('radio', { name: 'CSV', exact: true }).check();
  await page.screenshot({ path: `${SHOTS}/export-light.png` });
  const [download] = await Promise.all([page.waitForEvent('download'), d.getByRole('button', { name: 'Export', exact: true }).click()]);
  const path = `${SHOTS}/${download.suggestedFilename()}`;
  await download.saveAs(path);
  const csv = readFileSync(path, 'utf8').trim().split('\n');
  expect(csv[0]).toBe('"No.","Time","Source","Destination","Protocol","Length","Info"');
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(['"2"', '"4"']);
  // Ctrl+M again unmarks
  await u.list.focus();
  await page.keyboard.press('Control+m');
  await expect(u.list.locator('[role="row"].marked')).toHaveCount(1);
  errs.check();
});
