import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildReport } from '../../../src/http/explain';
import { escapeHtml, renderHtml } from '../../../src/http/render-html';
import { renderJson, renderText, visible } from '../../../src/http/render-text';
import type { Report } from '../../../src/http/types';
import { ex, req } from './explain-support';

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "javascript:alert('x')",
  '</style><style>body{display:none}</style>',
  '</textarea><textarea>',
  '<svg onload=alert(1)>',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '<img src=http://evil.example/track.png>',
  '<iframe src="https://evil.example"></iframe>',
  '<!-- -->',
  '\u001b[31mred\u001b[0m \u0000 \u202e',
];

function hostileReport(): { report: Report; body: string } {
  const h = HOSTILE.join(' ');
  const e = ex(401, [['WWW-Authenticate', `Bearer realm="${h.replace(/"/g, "'")}", error="invalid_token", error_description="${h.replace(/"/g, "'")}"`], ['X-Evil', h], ['Location', h]], req([['X-Req', h], ['Authorization', 'Bearer s3cr3t-token-value']], `https://a.example/${encodeURIComponent(h)}?q=<script>`));
  e.response.statusText = h;
  e.response.redirects.push({ status: 302, location: h });
  return { report: buildReport(e), body: `${h}\n${JSON.stringify({ html: h })}` };
}

/** Every "<" of the document, with the tag name that follows it. */
function tags(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z!][\w-]*)/g)].map((m) => (m[1] ?? '').toLowerCase());
}

describe('renderHtml', () => {
  const { report, body } = hostileReport();
  const html = renderHtml(report, { text: body, contentType: 'text/html' });

  it('escapes every "<" that came from the server or the request', () => {
    const allowed = new Set(['!doctype', 'html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'section', 'div', 'span', 'p', 'table', 'tr', 'td', 'pre']);
    for (const t of tags(html)) assert.ok(allowed.has(t), `unexpected element <${t}>`);
    for (const bad of ['<script', '<img', '<svg', '<iframe', '<textarea', '<meta http-equiv="refresh"', 'onerror=alert(1)>']) {
      assert.ok(!html.toLowerCase().includes(bad.toLowerCase()), `found ${bad}`);
    }
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.equal((html.match(/<\/style>/g) ?? []).length, 1, 'only our own stylesheet closes');
  });

  it('puts the CSP meta first in <head>, with no script source and no remote resources', () => {
    const head = /<head>\n([^\n]*)/.exec(html)?.[1] ?? '';
    assert.match(head, /^<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'">$/);
    assert.ok(!/<script/i.test(html));
    for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) assert.ok(!/\s(src|href|srcset|action|on\w+)=/i.test(tag), `attribute in ${tag}`);
  });

  it('allows its stylesheet by the exact hash of the <style> content', () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style, 'utf8').digest('base64');
    assert.ok(html.includes(`'sha256-${hash}'`));
  });

  it('neutralises control and bidi characters', () => {
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202e]/.test(html));
    assert.ok(html.includes('\\x1b[31m'));
  });

  it('shows the diagnosis before the status and headers, and redacts secrets', () => {
    assert.ok(html.indexOf('invalid-token') < html.indexOf('Response headers'));
    assert.ok(!html.includes('s3cr3t-token-value'));
    assert.ok(renderHtml(report, {}, { showSecrets: true }).includes('s3cr3t-token-value'));
  });

  it('adds a webview cspSource to style-src and ignores one that could break the attribute', () => {
    assert.match(renderHtml(report, {}, { cspSource: 'vscode-webview://abc' }), /style-src 'sha256-[^']+' vscode-webview:\/\/abc;/);
    assert.doesNotMatch(renderHtml(report, {}, { cspSource: '"><script>' }), /"><script>/);
  });

  it('pretty-prints JSON, truncates bodies over 256 KB and summarises binary ones', () => {
    const r = buildReport(ex(401, [], req()));
    assert.ok(renderHtml(r, { text: '{"a":{"b":1}}', contentType: 'application/json' }).includes('{\n  &quot;a&quot;: {\n    &quot;b&quot;: 1\n  }\n}'));
    const big = renderHtml(r, { text: 'x'.repeat(300 * 1024), contentType: 'text/plain', bytes: 300 * 1024 });
    assert.match(big, /Body truncated: showing the first 256\.0 KB of 300\.0 KB/);
    assert.ok(!big.includes('x'.repeat(256 * 1024 + 1)));
    const bin = renderHtml(r, { binary: true, contentType: 'image/png', bytes: 2048 });
    assert.match(bin, /Binary body \(image\/png, 2\.0 KB\) not shown/);
  });

  it('renders a failed request in words', () => {
    const f = renderHtml(buildReport({ request: req(), error: { code: 'ENOTFOUND', message: 'api.example.com does not resolve <dns>' } }), {});
    assert.match(f, /api\.example\.com does not resolve &lt;dns&gt;/);
  });

  it('escapes all five characters', () => {
    assert.equal(escapeHtml(`&<>"'`), '&amp;&lt;&gt;&quot;&#39;');
  });
});

describe('renderText and renderJson', () => {
  it('starts with the diagnosis, then the request, status line and every header line', () => {
    const e = ex(401, [['WWW-Authenticate', 'Bearer realm="a"'], ['WWW-Authenticate', 'Basic realm="b"']], req([['Accept', 'application/json']]));
    const t = renderText(buildReport(e), { text: '{"error":"x"}', contentType: 'application/json' });
    assert.match(t, /^error {3}no-credentials: /);
    assert.ok(t.indexOf('no-credentials') < t.indexOf('HTTP 401'));
    assert.equal((t.match(/WWW-Authenticate:/g) ?? []).length, 2);
    assert.match(t, /\{\n {2}"error": "x"\n\}/);
  });

  it('makes terminal escape sequences visible and redacts secrets unless asked', () => {
    const e = ex(401, [['X-Evil', '\u001b]0;pwned\u0007\u001b[2J']], req([['Authorization', 'Bearer s3cr3t-token-value']]));
    const t = renderText(buildReport(e), { text: 'echo s3cr3t-token-value \u001b[31m' });
    assert.ok(!t.includes('\u001b'));
    assert.ok(t.includes('\\x1b]0;pwned\\x07'));
    assert.ok(!t.includes('s3cr3t-token-value'));
    assert.ok(renderText(buildReport(e), {}, { showSecrets: true }).includes('Bearer s3cr3t-token-value'));
    assert.equal(visible('a\nb\tc', true), 'a\nb\tc');
  });

  it('says in words that a request failed, without leaking its credentials', () => {
    const t = renderText(buildReport({ request: req([['Authorization', 'Bearer s3cr3t-token-value']]), error: { code: 'ECONNREFUSED', message: 'Connection refused by api.example.com:443.' } }));
    assert.match(t, /^Request failed \(ECONNREFUSED\): Connection refused by api\.example\.com:443\./);
    assert.ok(!t.includes('s3cr3t-token-value'));
  });

  it('tells the user to pass the request when a 401 cannot be explained without it', () => {
    assert.match(renderText(buildReport(ex(401, [['WWW-Authenticate', 'Bearer realm="a"']]))), /--request/);
  });

  it('prints the JSON report, redacted unless showSecrets', () => {
    const r = buildReport(ex(401, [], req([['Authorization', 'Bearer s3cr3t-token-value']])));
    const j = JSON.parse(renderJson(r)) as Report;
    assert.deepEqual(j.request.headers, [['Authorization', 'Bearer …']]);
    assert.equal((JSON.parse(renderJson(r, { showSecrets: true })) as Report).request.headers[0]?.[1], 'Bearer s3cr3t-token-value');
  });
});
