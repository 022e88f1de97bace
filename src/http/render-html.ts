// The response view as one standalone HTML document: what `authlint explain --format html`
// prints and what the VS Code response panel shows.
//
// Safety: no script at all, no remote resources. The Content-Security-Policy meta tag is the
// first element of <head>: default-src 'none', and the only stylesheet is the inline <style>
// below, allowed by its SHA-256 hash (no nonce, so the output is deterministic). Every byte
// from the server or the request goes through escapeHtml (& < > " ' escaped, control and
// bidi-override characters shown as visible escapes).

import type { BodyInput } from './body-view';
import { HTML_BODY_LIMIT, showBody } from './body-view';
import { forDisplay, hiddenNote } from './redact';
import { emptyNote, escapeChar, INVISIBLE_SOURCE, redirectNote } from './render-text';
import type { Report } from './types';

export interface HtmlOptions {
  showSecrets?: boolean;
  /** Values known to be secret besides what the report shows (private env values...). */
  secretValues?: Iterable<string>;
  /**
   * The editor's reveal: a link (a command URI the webview allows) shown next to the note that
   * values are hidden, and one to hide them again when they are shown. No script involved.
   */
  reveal?: { show: string; hide: string };
  /** A webview's cspSource (e.g. for its own stylesheet); added to style-src when given. */
  cspSource?: string;
}

const STYLE = `
body{font-family:var(--vscode-font-family,system-ui,sans-serif);font-size:var(--vscode-font-size,14px);color:var(--vscode-foreground,#1f2328);background:var(--vscode-editor-background,#fff);margin:1rem 1.5rem;line-height:1.45}
h1{font-size:1.15rem;margin:0 0 .75rem}
h2{font-size:1rem;margin:1.25rem 0 .4rem}
.diag{border-left:4px solid #888;padding:.4rem .8rem;margin:.5rem 0;background:rgba(127,127,127,.08)}
.diag.error{border-color:#d1242f}.diag.warning{border-color:#bf8700}.diag.info{border-color:#0969da}
.sev{font-weight:600;text-transform:uppercase;font-size:.75rem;margin-right:.5rem}
.code{font-family:var(--vscode-editor-font-family,monospace);font-size:.85rem;opacity:.8}
.title{font-weight:600}
.refs{font-size:.85rem;opacity:.8}
.status{font-family:var(--vscode-editor-font-family,monospace);font-weight:600}
table{border-collapse:collapse;font-family:var(--vscode-editor-font-family,monospace);font-size:.9rem}
td{padding:.1rem .8rem .1rem 0;vertical-align:top;word-break:break-all}
td.n{white-space:nowrap;font-weight:600}
pre{font-family:var(--vscode-editor-font-family,monospace);font-size:.9rem;white-space:pre-wrap;word-break:break-all;background:rgba(127,127,127,.08);padding:.6rem;margin:0}
.note{font-style:italic;opacity:.85}
.hidden-note{border:1px dashed #888;padding:.3rem .6rem;margin:.5rem 0}
.hidden-note a{margin-left:.5rem}
`;

let styleHash: string | undefined;
/** The CSP hash of STYLE, computed on first use: text and JSON output never load node:crypto. */
function styleHashOf(): string {
  if (styleHash === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    styleHash = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;
  }
  return styleHash;
}

const HTML_SPECIAL = new RegExp(`[&<>"']|${INVISIBLE_SOURCE}`, 'gu');

/** HTML-escapes text from anywhere, and makes invisible and reordering characters visible. */
export function escapeHtml(s: string, keepNewlines = false): string {
  return s.replace(HTML_SPECIAL, (c) => {
    switch (c) {
      case '&': return '&amp;';
      case '<': return '&lt;';
      case '>': return '&gt;';
      case '"': return '&quot;';
      case "'": return '&#39;';
      case '\n': return keepNewlines ? '\n' : '\\n';
      case '\t': return keepNewlines ? '\t' : '\\t';
      case '\r': return keepNewlines ? '' : '\\r';
      default: return escapeChar(c);
    }
  });
}

/** The CSP of the document: nothing but the inline stylesheet (and cspSource styles if given). */
export function contentSecurityPolicy(cspSource?: string): string {
  const src = cspSource && /^[\w:/.*\-' ]+$/.test(cspSource) ? ` ${cspSource}` : '';
  return `default-src 'none'; style-src ${styleHashOf()}${src}; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'`;
}

function headerTable(headers: Array<[string, string]>): string {
  if (headers.length === 0) return '<p class="note">No header fields.</p>';
  const rows = headers.map(([n, v]) => `<tr><td class="n">${escapeHtml(n)}:</td><td>${escapeHtml(v)}</td></tr>`);
  return `<table>\n${rows.join('\n')}\n</table>`;
}

/**
 * Renders a report as a standalone HTML document.
 * @param report  the report from buildReport() (unredacted; redacted here unless showSecrets)
 * @param body    the response body: text (possibly cut short: truncated), or binary with its content type
 * @param opts    showSecrets: print credentials as they are; cspSource: a webview's source for style-src
 */
export function renderHtml(report: Report, body: BodyInput = {}, opts: HtmlOptions = {}): string {
  const shownAs = forDisplay(report, body, { ...opts, bodyLimit: HTML_BODY_LIMIT });
  const r = shownAs.report;
  const parts: string[] = [];
  const res = r.response;
  const heading = res ? `${res.status} ${res.statusText}` : `Request failed: ${r.error?.code ?? 'error'}`;
  parts.push(`<h1>${escapeHtml(heading)}${r.request.url ? ` — ${escapeHtml(`${r.request.method} ${r.request.url}`)}` : ''}</h1>`);

  if (shownAs.hidden > 0) {
    const link = opts.reveal ? `<a href="${escapeHtml(opts.reveal.show)}">Show hidden values</a>` : '';
    parts.push(`<p class="hidden-note" role="note">${escapeHtml(hiddenNote(shownAs.hidden, opts.reveal ? 'the link shows them' : 'run again with --show-secrets to show them'))}${link}</p>`);
  } else if (opts.showSecrets && opts.reveal) {
    parts.push(`<p class="hidden-note" role="note">Credentials are shown as sent and received.<a href="${escapeHtml(opts.reveal.hide)}">Hide them</a></p>`);
  }
  if (r.error) parts.push(`<div class="diag error"><span class="sev">error</span><span class="title">${escapeHtml(r.error.message)}</span> <span class="code">${escapeHtml(r.error.code)}</span></div>`);
  parts.push('<section aria-label="Diagnosis">');
  if (r.diagnosis.length === 0 && res) {
    parts.push(`<p class="note">${escapeHtml(emptyNote(r))}</p>`);
  }
  for (const d of r.diagnosis) {
    parts.push(
      `<div class="diag ${d.severity}"><div><span class="sev">${d.severity}</span><span class="title">${escapeHtml(d.title)}</span> <span class="code">${escapeHtml(d.code)}</span></div>` +
        `<p>${escapeHtml(d.detail)}</p>${d.refs.length > 0 ? `<div class="refs">See ${escapeHtml(d.refs.join(', '))}</div>` : ''}</div>`,
    );
  }
  parts.push('</section>');

  if (res) {
    parts.push(`<h2>Response</h2>\n<p class="status">HTTP ${res.status} ${escapeHtml(res.statusText)} <span class="note">(${res.bodyBytes} bytes, ${res.elapsedMs} ms)</span></p>`);
    if (res.redirects.length > 0) {
      const hops = res.redirects.map((h) => `<tr><td class="n">${h.status}</td><td>${escapeHtml(h.location)}${h.dropped?.length || h.kept?.length ? `<br><span class="note">${escapeHtml(redirectNote(h).trim().replace(/^\(|\)$/g, ''))}</span>` : ''}</td></tr>`);
      parts.push(`<h2>Redirects</h2>\n<table>\n${hops.join('\n')}\n</table>`);
    }
    parts.push(`<h2>Response headers</h2>\n${headerTable(res.headers)}`);
  }
  if (r.request.method !== '' || r.request.url !== '') {
    parts.push(`<h2>Request</h2>\n<p class="status">${escapeHtml(`${r.request.method} ${r.request.url}`)}</p>\n${headerTable(r.request.headers)}`);
  }
  if (res) {
    const shown = showBody(shownAs.body);
    parts.push('<h2>Body</h2>');
    if (shown.note) parts.push(`<p class="note">${escapeHtml(shown.note)}</p>`);
    if (shown.kind === 'json' || shown.kind === 'text') parts.push(`<pre>${escapeHtml(shown.text, true)}</pre>`);
  }

  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(opts.cspSource)}">`,
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(heading)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...parts,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
