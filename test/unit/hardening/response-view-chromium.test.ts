// The response view HTML (`authlint send/explain --format html`, the document the webview shows)
// in real headless Chromium, with hostile bodies, headers, status text and request lines. Proves
// no script runs (a binding the payloads try to call, document.title, dialogs), no request
// leaves the page (only the document itself; a 127.0.0.1 server the payloads point at gets
// nothing) and the hostile text is shown as text.

import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { cli, httpServer, rawServer, send, type Tracked } from './support';

const CHROMIUM = process.env['AUTHLINT_CHROMIUM'] ?? '/usr/bin/chromium';

/** Payloads aimed at every way an HTML document can run code or fetch something. */
function payloads(evil: string): string[] {
  return [
    `<script>document.title='pwned';window.__pwn&&__pwn('script')</script>`,
    `<img src="${evil}/img" onerror="__pwn('onerror')">`,
    `<svg onload="__pwn('svg')"><script>__pwn('svg-script')</script></svg>`,
    `<a href="javascript:__pwn('js-url')">click</a>`,
    `</style><style>@import url(${evil}/css-import);body{background:url(${evil}/css-bg)}</style>`,
    `</textarea><textarea></title><script>__pwn('title-breakout')</script>`,
    `<meta http-equiv="Content-Security-Policy" content="default-src *; script-src 'unsafe-inline'">`,
    `<meta http-equiv="refresh" content="0;url=${evil}/refresh">`,
    `<link rel="stylesheet" href="${evil}/link-css"><link rel="prefetch" href="${evil}/prefetch">`,
    `<iframe src="${evil}/iframe" srcdoc="<script>parent.__pwn('srcdoc')</script>"></iframe>`,
    `<base href="${evil}/base/"><form action="${evil}/form"><input autofocus onfocus="__pwn('autofocus')"></form>`,
    `<object data="${evil}/object"></object><video poster="${evil}/poster"></video>`,
    `<details open ontoggle="__pwn('ontoggle')"></details><body onload="__pwn('body-onload')">`,
    `"><img src=x onerror=__pwn('attr-breakout')>'-->]]>`,
  ];
}

describe('hardening: the response view renders hostile content inert in Chromium', function () {
  this.timeout(120_000);
  let browser: Browser | undefined;
  let evil: Tracked;
  let hostile: Tracked;
  let viewer: Tracked;
  let dir: string;
  const evilHits: string[] = [];
  const documents = new Map<string, string>();
  let P: string[] = [];

  before(async function () {
    if (!existsSync(CHROMIUM)) {
      console.log(`      skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set AUTHLINT_CHROMIUM)`);
      this.skip();
    }
    evil = await httpServer((req, res) => {
      evilHits.push(req.url!);
      res.end('gotcha');
    });
    P = payloads(evil.base);
    const all = P.join(' ');
    // Hostile status text, header values and body, as raw bytes (any field value HTTP allows).
    hostile = await rawServer((s: Socket) => {
      const body = Buffer.from(`${all}\n${JSON.stringify({ html: all })}`, 'utf8');
      const head = [
        `HTTP/1.1 401 ${P[0]}`,
        `WWW-Authenticate: Bearer realm="${P[1]!.replace(/"/g, "'")}", error="invalid_token", error_description="${all.replace(/"/g, "'")}"`,
        ...P.map((p, i) => `X-Hostile-${i}: ${p}`),
        `Location: javascript:__pwn('location')`,
        'Content-Type: text/html',
        `Content-Length: ${body.length}`,
      ].join('\r\n');
      s.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'utf8'), body]));
    });
    viewer = await httpServer((req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(documents.get(req.url!) ?? '');
    });
    dir = mkdtempSync(join(tmpdir(), 'authlint-chromium-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  after(async () => {
    await browser?.close();
    await Promise.all([evil?.close(), hostile?.close(), viewer?.close()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function sendHtml(): Promise<string> {
    const f = join(dir, 'hostile.http');
    writeFileSync(f, [`GET ${hostile.base}/x?q=${encodeURIComponent(P[0]!)}`, `X-Request-Hostile: ${P[7]}`, 'Authorization: Bearer view-secret-token-42', '', P.join('\n')].join('\n'));
    const r = await send(f, '--format', 'html');
    assert.equal(r.code, 0, r.err);
    return r.out;
  }

  async function explainHtml(): Promise<string> {
    const capture = [`HTTP/1.1 401 ${P[2]}`, ...P.map((p, i) => `X-<img src=${evil.base}/name${i}>: ${p}`), `WWW-Authenticate: ${P[4]}`, 'Content-Type: text/html', '', P.join('\n')].join('\r\n');
    const req = join(dir, 'req.txt');
    writeFileSync(req, [`GET /${encodeURIComponent(P[3]!)} HTTP/1.1`, 'Host: api.example.com', `X-Req-2: ${P[5]}`, 'Cookie: sid=view-secret-cookie-77', `X-Req: ${P[6]}`, ''].join('\r\n'));
    const r = await cli(['explain', '--format', 'html', '--request', req], { stdin: capture });
    assert.equal(r.code, 0, r.err);
    return r.out;
  }

  async function view(name: string, html: string): Promise<{ requests: string[]; blocked: string[]; pwned: string[]; dialogs: string[]; title: string; text: string; consoleErrors: string[] }> {
    const path = `/${name}.html`;
    documents.set(path, html);
    const context = await browser!.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    const pwned: string[] = [];
    const requests: string[] = [];
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    const blocked: string[] = [];
    await page.exposeFunction('__pwn', (tag: string) => void pwned.push(tag));
    page.on('request', (r) => void requests.push(r.url()));
    page.on('requestfailed', (r) => void blocked.push(`${r.url()} ${r.failure()?.errorText}`));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => void (m.type() === 'error' && consoleErrors.push(m.text())));
    await page.goto(`${viewer.base}${path}`, { waitUntil: 'load' });
    await page.waitForLoadState('networkidle');
    // Try the interactive vectors too: click every link, focus every element.
    await page.evaluate(() => document.querySelectorAll('a').forEach((a) => (a as HTMLElement).click())).catch(() => undefined);
    await page.keyboard.press('Tab');
    await page.waitForLoadState('networkidle');
    const out = { requests, blocked, pwned, dialogs, title: await page.title(), text: (await page.textContent('body')) ?? '', consoleErrors };
    await context.close();
    return out;
  }

  for (const [name, make, status] of [['send', sendHtml, 0], ['explain', explainHtml, 2]] as const) {
    it(`authlint ${name} --format html: no script runs, nothing is fetched, the payloads show as text`, async () => {
      evilHits.length = 0;
      const html = await make();
      const r = await view(name, html);
      assert.deepEqual(r.pwned, [], 'a payload ran');
      assert.deepEqual(r.dialogs, []);
      assert.equal(r.title, `401 ${P[status]}`, 'the title is the status line, as text, untouched by any script');
      assert.deepEqual(r.requests, [`${viewer.base}/${name}.html`], 'only the document itself is requested');
      assert.deepEqual(r.blocked, []);
      assert.deepEqual(evilHits, [], 'the server the payloads point at got nothing');
      for (const p of P) assert.ok(r.text.includes(p), `shown as text: ${p}`);
      assert.ok(!r.text.includes('view-secret-token-42') && !r.text.includes('view-secret-cookie-77'));
      // Escaped, nothing even reached the CSP: the page logged no violation or error.
      assert.deepEqual(r.consoleErrors, []);
    });
  }

  it('its Content-Security-Policy alone stops the payloads, were escaping ever to fail (meta refresh aside)', async () => {
    evilHits.length = 0;
    // Inject the payloads as live markup into the real document, under its own CSP meta tag. A
    // meta refresh is navigation, which CSP does not govern: escaping is what stops that one.
    const live = P.filter((p) => !p.includes('http-equiv="refresh"')).join('\n');
    const html = (await sendHtml()).replace('<body>\n', `<body>\n${live}\n`);
    const r = await view('csp-only', html);
    assert.deepEqual(r.pwned, [], 'a payload ran despite the CSP');
    assert.deepEqual(r.dialogs, []);
    assert.deepEqual(evilHits, []);
    // Chromium starts the image request, and the CSP cancels it before it leaves the browser.
    const doc = `${viewer.base}/csp-only.html`;
    assert.deepEqual(r.requests.filter((u) => u !== doc).map((u) => `${u} csp`), r.blocked);
    assert.ok(r.consoleErrors.some((e) => /Content Security Policy/i.test(e)), 'the payloads were live and the CSP refused them');
  });

  it('the same payloads as real markup do run in this browser (the harness can see a breach)', async () => {
    evilHits.length = 0;
    const r = await view('control', `<!DOCTYPE html><html><head><title>control</title></head><body>${P.join('\n')}</body></html>`);
    assert.ok(r.pwned.length > 0, 'no payload ran in the unprotected control page');
    assert.ok(r.requests.some((u) => u.startsWith(evil.base)), 'the control page fetched nothing');
  });
});
