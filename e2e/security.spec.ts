// Security (issue 9): the built page carries a strict Content-Security-Policy; nothing leaves the origin while a
// capture is opened and browsed (page, capture worker, service worker); payload strings of a hostile capture
// (test/fixtures/captures/xss_payloads.pcap: DNS names, HTTP URI/headers/body, TLS SNI full of <script>,
// <img onerror>, <svg onload> and javascript:) render as literal text and never run.
import { test, expect as baseExpect, type Page, type Request } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { ui, watchErrors } from './helpers';

// The machine running these may be busy: generous timeouts (they only matter when something is wrong).
const expect = baseExpect.configure({ timeout: 30_000 });
test.describe.configure({ timeout: 180_000 });

async function openApp(page: Page, path = '/') {
  await page.goto(path);
  await expect(ui(page).status).toContainText('Packets: 12 · Displayed: 12');
}

const XSS_FILE = fileURLToPath(new URL('../test/fixtures/captures/xss_payloads.pcap', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../test/fixtures/captures/', import.meta.url));

function cspOf(html: string): Map<string, string[]> {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  expect(m, 'a Content-Security-Policy meta tag').not.toBeNull();
  const out = new Map<string, string[]>();
  for (const part of m![1]!.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

test('the built page has a strict Content-Security-Policy', async ({ page, request }) => {
  const html = await (await request.get('/')).text();
  const csp = cspOf(html);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('script-src')).toEqual(["'self'"]);
  expect(csp.get('connect-src')).toEqual(["'self'"]);
  for (const [name, values] of csp) {
    expect(values, `${name} allows no eval`).not.toContain("'unsafe-eval'");
    expect(values, `${name} allows no wildcard`).not.toContain('*');
    for (const v of values) expect(v, `${name} names no other host`).toMatch(/^('self'|'unsafe-inline'|'none'|data:|blob:)$/);
  }
  // no inline scripts in the built page (script-src 'self' would block them anyway)
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);

  // and the browser enforces it: an injected inline script, a string timer (eval) and a foreign fetch are refused
  await openApp(page);
  const r = await page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    const s = document.createElement('script');
    s.textContent = 'window.__inline = 1';
    document.body.append(s);
    try {
      (setTimeout as unknown as (code: string, ms: number) => void)('window.__timer = 1', 0);
    } catch {
      /* refused */
    }
    const fetched = await fetch('http://192.0.2.1/x').then(
      () => 'sent',
      () => 'blocked',
    );
    await new Promise((res) => setTimeout(res, 200));
    const w = window as unknown as { __inline?: number; __timer?: number };
    return { inline: w.__inline ?? null, timer: w.__timer ?? null, fetched, violations: [...new Set(violations)].sort() };
  });
  expect(r).toEqual({ inline: null, timer: null, fetched: 'blocked', violations: ['connect-src', 'script-src-elem', 'script-src'].sort() });
});

/** Records every request of the context (page, dedicated workers, service worker) and blocks foreign ones. */
async function watchRequests(page: Page) {
  const origin = new URL(test.info().project.use.baseURL as string).origin;
  const all: string[] = [];
  const foreign: string[] = [];
  const note = (r: Request | string) => {
    const url = typeof r === 'string' ? r : r.url();
    all.push(url);
    if (!url.startsWith(origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:')) foreign.push(url);
  };
  page.context().on('request', note);
  await page.context().route('**/*', (route) => {
    const url = route.request().url();
    if (!url.startsWith(origin + '/')) {
      foreign.push(url);
      return route.abort();
    }
    return route.continue();
  });
  return { all, foreign, origin };
}

test('no request leaves the origin while a capture is opened and browsed', async ({ page }) => {
  const errs = watchErrors(page);
  const net = await watchRequests(page);
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles(XSS_FILE);
  await expect(u.status).toContainText('Packets: 18 · Displayed: 18');
  for (const i of [1, 2, 6, 7, 14]) {
    await u.row(i).click();
    await expect(u.items.first()).toHaveText(new RegExp(`^Frame ${i}:`));
  }
  const apply = page.getByRole('button', { name: 'Apply display filter' });
  await u.filter.fill('http || dns');
  await apply.click();
  await expect(u.status).toContainText('Displayed: 4');
  await u.filter.fill('');
  await apply.click();
  await expect(u.status).toContainText('Displayed: 18');
  await u.row(6).click();
  await page.keyboard.press('Control+Alt+Shift+T');
  await expect(page.getByRole('dialog', { name: /Follow TCP Stream/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await u.fileInput.setInputFiles(`${FIXTURES}08_tls_clienthello_loopback.pcap`);
  await expect(u.status).toContainText('Packets: 9');

  // the listener saw the page's own requests, the capture worker's script and the sample among them
  expect(net.all.some((x) => /capture\.worker[^/]*\.js$/.test(x))).toBe(true);
  expect(net.all.some((x) => x.endsWith('/samples/http-get.pcap'))).toBe(true);
  expect(net.foreign).toEqual([]);
  errs.check();
});

test('a capture full of <script> and javascript: strings renders inert, as literal text', async ({ page }) => {
  test.setTimeout(300_000);
  const errs = watchErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await openApp(page);
  const u = ui(page);
  await u.fileInput.setInputFiles(XSS_FILE);
  await expect(u.status).toContainText('Packets: 18 · Displayed: 18');

  // the packet list shows the DNS name and the HTTP request line as text
  await expect(u.row(1)).toContainText('<script>alert(1)</script>.<img src=x onerror=window.__xss=1>.javascript:window.__xss=1.example');
  await expect(u.row(6)).toContainText('GET /<script>alert(1)</script>?q=<img src=x onerror=window.__xss=1> HTTP/1.1');
  await expect(u.row(7)).toContainText('HTTP/1.1 200 <script>alert(1)</script>');

  // every packet selected, every tree expanded: the headers, names and SNI appear as text
  const seen: string[] = [];
  for (let i = 1; i <= 18; i++) {
    await u.row(i).click();
    await expect(u.items.first()).toHaveText(new RegExp(`^Frame ${i}:`));
    const tops = u.tree.locator('[role="treeitem"][aria-level="1"]');
    const n = await tops.count();
    for (let k = n - 1; k >= 0; k--) {
      await tops.nth(k).click();
      await page.keyboard.press('*');
    }
    seen.push(...(await u.items.allTextContents()));
  }
  const text = seen.join('\n');
  for (const s of [
    'Host: <script>alert(1)</script>',
    'User-Agent: <img src=x onerror=window.__xss=1>',
    'Referer: javascript:window.__xss=1',
    'X-Payload: "><svg onload=alert(1)>',
    'Server Name: <script>window.__xss=1</script>',
    'CNAME: "><svg onload=alert(1)>.<script>window.__xss=1</script>.test',
  ]) {
    expect(text, s).toContain(s);
  }
  await page.screenshot({ path: '/tmp/h4-xss-tree.png' });

  // Follow TCP stream of the HTTP exchange: the HTML body shows as text
  await u.row(6).click();
  await page.keyboard.press('Control+Alt+Shift+T');
  const follow = page.getByRole('dialog', { name: /Follow TCP Stream/ });
  await expect(follow).toBeVisible();
  await expect(follow).toContainText('<html><body><script>window.__xss=1</script><a href="javascript:window.__xss=1">x</a>');
  await page.screenshot({ path: '/tmp/h4-xss-follow.png' });
  await page.keyboard.press('Escape');

  // nothing ran, nothing was injected
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss)).toBeUndefined();
  const injected = await page.evaluate(() => ({
    scripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    imgs: document.querySelectorAll('img[src="x"], img[onerror]').length,
    svgs: document.querySelectorAll('svg[onload]').length,
    links: [...document.querySelectorAll('a[href]')].filter((a) => a.getAttribute('href')!.startsWith('javascript:')).length,
  }));
  expect(injected).toEqual({ scripts: 0, imgs: 0, svgs: 0, links: 0 });
  errs.check();
});
