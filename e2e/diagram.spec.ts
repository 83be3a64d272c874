// The sequence diagram pane (issue 6): opened beside the packet list on the selected packet's conversation,
// arrows and packets selected both ways, following the selection to another stream, exports, a lossy
// capture, the remembered width and the maximise toggle.
import { test, expect, type Page, type Locator } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS, openApp, ui, watchErrors } from './helpers';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/captures/', import.meta.url));
const capture = (name: string) => (existsSync(`${CORPUS}/public/${name}`) ? `${CORPUS}/public/${name}` : `${FIXTURES}${name}`);

/**
 * Frames per stream, from tshark 4.0.17:
 *   tshark -r public/samples/http-get.pcap -Y "tcp.stream eq 0" | wc -l            → 12
 *   tshark -r zeek__retransmit-fast009.pcap -Y "tcp.stream eq 0" | wc -l          → 39
 *   tshark -r zeek__smtp.pcap -Y "tcp.stream eq 1" | wc -l                        → 2
 *   tshark -r zeek__smtp.pcap -Y "tcp.stream eq 2" | wc -l                        → 27
 *   tshark -r zeek__smtp.pcap -Y "udp.stream eq 1" | wc -l                        → 1
 */
const SAMPLE_STREAM0 = 12;
const LOSSY = 'zeek__retransmit-fast009.pcap';
const LOSSY_STREAM0 = 39;

/** Scroll the packet list to frame row `n` (rows out of view are not in the DOM) and click it. */
async function clickRow(page: Page, n: number): Promise<void> {
  const u = ui(page);
  await u.list.locator('.plist-scroll').evaluate((el, n) => (el.scrollTop = Math.max(0, (n - 4) * 20)), n);
  await u.row(n).click();
}

function pane(page: Page): Locator {
  return page.getByRole('region', { name: 'Sequence diagram pane' });
}

async function openDiagram(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Sequence diagram', exact: true }).click();
  const p = pane(page);
  await expect(p.locator('[data-frame]').first()).toBeVisible();
  return p;
}

/** Every frame the diagram has, scrolling it from top to bottom (rows out of view are not in the DOM). */
async function diagramFrames(p: Locator): Promise<number[]> {
  const scroller = p.locator('.ld-scroll');
  const seen = new Set<number>();
  await scroller.evaluate((el) => (el.scrollTop = 0));
  for (let i = 0; i < 200; i++) {
    await p.page().waitForTimeout(60);
    for (const f of await p.locator('[data-frame]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-frame'))))) seen.add(f);
    const done = await scroller.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += Math.max(40, el.clientHeight * 0.6);
      return end;
    });
    if (done) break;
  }
  return [...seen].sort((a, b) => a - b);
}

test.describe('on the sample, with room for the whole stream', () => {
  test.use({ viewport: { width: 1600, height: 1500 } });

  test('the diagram of TCP stream 0: one arrow per packet, labels, states, and selection both ways', async ({ page }) => {
    const errs = watchErrors(page);
    await openApp(page);
    const u = ui(page);
    await u.row(1).click();
    const p = await openDiagram(page);
    await expect(page.getByRole('button', { name: 'Sequence diagram', exact: true })).toHaveAttribute('aria-pressed', 'true');
    // the pane is to the right of the packet list
    const lb = (await u.list.boundingBox())!;
    const pb = (await p.boundingBox())!;
    expect(pb.x).toBeGreaterThanOrEqual(lb.x + lb.width - 1);

    await page.getByRole('button', { name: 'Maximise diagram' }).click();
    await expect(p.locator('[data-frame]')).toHaveCount(SAMPLE_STREAM0);
    await expect(p.getByText(`${SAMPLE_STREAM0} packets`)).toBeVisible();

    // the handshake
    const want: Array<[number, string, string]> = [
      [1, 'SYN', 'Seq=0'],
      [2, 'SYN, ACK', 'Seq=0 Ack=1'],
      [3, 'ACK', 'Seq=1 Ack=1'],
    ];
    for (const [f, head, fields] of want) {
      const row = p.locator(`[data-frame="${f}"]`);
      await expect(row.locator('.ld-flags')).toHaveText(head);
      await expect(row.locator('.ld-fields')).toHaveText(new RegExp(`^${fields}\\b`));
      await expect(row).toHaveAttribute('aria-label', new RegExp(`${head} ${fields}\\b`));
    }
    // client lifeline: ESTABLISHED after the third packet, TIME_WAIT (or CLOSED) at the end
    await expect(p.locator('[data-frame="3"]')).toHaveAttribute('data-client-state', 'ESTABLISHED');
    await expect(p.locator(`[data-frame="${SAMPLE_STREAM0}"]`)).toHaveAttribute('data-client-state', /^(TIME_WAIT|CLOSED)$/);

    await page.getByRole('button', { name: 'Restore diagram' }).click();
    await expect(u.list).toBeVisible();

    // clicking arrow 4 selects frame 4 in the list, the tree and the bytes
    await p.locator('[data-frame="4"] .ld-num').click();
    await expect(u.row(4)).toHaveAttribute('aria-selected', 'true');
    await expect(u.items.first()).toHaveText(/^Frame 4:/);
    await expect(u.bytes.getByRole('rowheader').first()).toHaveText('0000');
    await expect(p.locator('[data-frame="4"]')).toHaveClass(/\bsel\b/);

    // selecting a packet in the list highlights its arrow
    await u.row(8).click();
    await expect(p.locator('[data-frame="8"]')).toHaveClass(/\bsel\b/);
    await expect(p.locator('[data-frame="4"]')).not.toHaveClass(/\bsel\b/);
    errs.check();
  });

  test('export: a valid SVG file and Mermaid text naming both hosts', async ({ page }) => {
    await openApp(page);
    await ui(page).row(1).click();
    const p = await openDiagram(page);

    await p.getByRole('button', { name: /Export/ }).click();
    const [svgDl] = await Promise.all([page.waitForEvent('download'), p.getByRole('menuitem', { name: 'SVG' }).first().click()]);
    expect(svgDl.suggestedFilename()).toBe('wirelens-tcp-stream-0.svg');
    const svg = readFileSync((await svgDl.path())!, 'utf8');
    const parsed = await page.evaluate((text) => {
      const d = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        errors: d.getElementsByTagName('parsererror').length,
        root: d.documentElement.nodeName,
        ns: d.documentElement.namespaceURI,
        rows: d.querySelectorAll('[data-frame]').length,
      };
    }, svg);
    expect(parsed).toEqual({ errors: 0, root: 'svg', ns: 'http://www.w3.org/2000/svg', rows: SAMPLE_STREAM0 });

    await p.getByRole('button', { name: /Export/ }).click();
    const [mmdDl] = await Promise.all([page.waitForEvent('download'), p.getByRole('menuitem', { name: 'Download Mermaid (.mmd)' }).click()]);
    const mmd = readFileSync((await mmdDl.path())!, 'utf8');
    expect(mmd).toMatch(/^sequenceDiagram\n/);
    expect(mmd).toContain('127.0.0.1:43874');
    expect(mmd).toContain('127.0.0.1:11699');
    expect(mmd.match(/^ {4}[CS]-/gm)?.length).toBe(SAMPLE_STREAM0);
  });
});

test('selecting a packet scrolls its arrow into view; the width is remembered; maximise fills the window', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  await u.row(1).click();
  const p = await openDiagram(page);
  await u.row(12).click();
  const last = p.locator('[data-frame="12"]');
  await expect(last).toHaveClass(/\bsel\b/);
  await expect(last.locator('.ld-num')).toBeInViewport();

  // drag the splitter 150 px to the left: the pane grows, and keeps its width after a reload
  const sep = page.getByRole('separator', { name: 'Resize packet panes and sequence diagram' });
  const before = (await p.boundingBox())!.width;
  const box = (await sep.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 - 150, box.y + 200, { steps: 6 });
  await page.mouse.up();
  const after = (await p.boundingBox())!.width;
  expect(after).toBeGreaterThan(before + 120);
  await page.reload();
  await expect(u.status).toContainText('Packets: 12');
  await expect(pane(page)).toBeVisible();
  expect(Math.abs((await pane(page).boundingBox())!.width - after)).toBeLessThan(3);

  // maximised, it takes the whole width and the panes are hidden; Escape restores
  await u.row(2).click();
  await page.getByRole('button', { name: 'Maximise diagram' }).click();
  await expect(u.list).toBeHidden();
  expect((await pane(page).boundingBox())!.width).toBeGreaterThan(1270);
  await pane(page).locator('.ld-scroll').focus();
  await page.keyboard.press('Escape');
  await expect(u.list).toBeVisible();
  await page.getByRole('button', { name: 'Close sequence diagram' }).click();
  await expect(pane(page)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Sequence diagram', exact: true })).toHaveAttribute('aria-pressed', 'false');
});

test('the diagram follows the selected packet to another stream (TCP and UDP)', async ({ page }) => {
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles(capture('zeek__smtp.pcap'));
  await expect(u.status).toContainText('Packets: 125 · Displayed: 125');
  await clickRow(page, 61);
  const p = await openDiagram(page);
  await expect(p.locator('.ld-title-main')).toHaveText('TCP stream 1');
  await expect(p.locator('[data-frame]')).toHaveCount(2);
  await expect(p.locator('[data-frame="61"]')).toHaveClass(/\bsel\b/);

  await clickRow(page, 63);
  await expect(p.locator('.ld-title-main')).toHaveText('TCP stream 2');
  await expect(p.getByText('27 packets')).toBeVisible();
  await expect(p.locator('[data-frame="63"]')).toHaveClass(/\bsel\b/);

  await clickRow(page, 60);
  await expect(p.locator('.ld-title-main')).toHaveText('UDP stream 1');
  await expect(p.locator('[data-frame]')).toHaveCount(1);

  // back to a frame of the first stream
  await clickRow(page, 62);
  await expect(p.locator('.ld-title-main')).toHaveText('TCP stream 1');
  await expect(p.locator('[data-frame="62"]')).toHaveClass(/\bsel\b/);
});

test('a lossy capture: every frame of the stream, with retransmission marks', async ({ page }) => {
  const errs = watchErrors(page);
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles(capture(LOSSY));
  await expect(u.status).toContainText(`Packets: ${LOSSY_STREAM0} · Displayed: ${LOSSY_STREAM0}`);
  await u.row(1).click();
  const p = await openDiagram(page);
  await expect(p.getByText(`${LOSSY_STREAM0} packets`)).toBeVisible();
  await expect(p.locator('[data-frame="1"]')).toHaveAttribute('data-client-state', 'SYN_SENT');
  const frames = await diagramFrames(p);
  expect(frames).toEqual(Array.from({ length: LOSSY_STREAM0 }, (_, i) => i + 1));
  // frame 32 is tshark's "[TCP Fast Retransmission]", 34 and 36 "[TCP Retransmission]"
  await clickRow(page, 32);
  await expect(p.locator('[data-frame="32"]')).toHaveClass(/\bsel\b/);
  await expect(p.locator('[data-frame="32"] .ld-badge')).not.toHaveCount(0);
  await p.locator('[data-frame="32"] .ld-num').click();
  await expect(u.row(32)).toHaveAttribute('aria-selected', 'true');
  // the connection ends with the client's RST
  await clickRow(page, LOSSY_STREAM0);
  await expect(p.locator(`[data-frame="${LOSSY_STREAM0}"]`)).toHaveAttribute('data-client-state', 'CLOSED');
  errs.check();
});
