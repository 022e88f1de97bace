// The three renderings of an MCP authorization check: text, the contract's JSON, and a
// standalone HTML page (no script, own CSP, everything from the server escaped).

import { createHash } from 'node:crypto';
import { escapeHtml } from './render-html';
import type { McpReport } from './mcp-check';

const MARK = (ok: boolean | null): string => (ok === true ? 'ok  ' : ok === false ? 'FAIL' : ' -- ');

export function mcpText(r: McpReport): string {
  const lines = [`MCP authorization check: ${r.url}`, ''];
  for (const s of r.steps) {
    lines.push(`${MARK(s.ok)} ${s.id}: ${s.title}`);
    if (s.detail) lines.push(`     ${s.detail}`);
    if (s.refs.length) lines.push(`     (${s.refs.join('; ')})`);
  }
  const failed = r.steps.filter((s) => s.ok === false).map((s) => s.id);
  lines.push('', failed.length ? `Broken: ${failed.join(', ')}.` : 'No step failed.');
  return `${lines.join('\n')}\n`;
}

export function mcpJson(r: McpReport): string {
  return `${JSON.stringify(r, null, 2)}\n`;
}

const STYLE = 'body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;max-width:60em}li{margin:.6em 0}.ok{color:#1a7f37}.fail{color:#cf222e}.na{color:#6e7781}code{font-size:90%}';
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`;

export function mcpHtml(r: McpReport): string {
  const items = r.steps.map((s) => {
    const cls = s.ok === true ? 'ok' : s.ok === false ? 'fail' : 'na';
    return `<li class="${cls}"><strong>${escapeHtml(MARK(s.ok).trim() || '--')} ${escapeHtml(s.id)}</strong>: ${escapeHtml(s.title)}${s.detail ? `<br><span>${escapeHtml(s.detail)}</span>` : ''}${s.refs.length ? `<br><small>${escapeHtml(s.refs.join('; '))}</small>` : ''}</li>`;
  });
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${STYLE_HASH}; img-src 'none'; script-src 'none'; base-uri 'none'; form-action 'none'">`,
    `<title>MCP authorization check</title><style>${STYLE}</style></head><body>`,
    `<h1>MCP authorization check</h1><p><code>${escapeHtml(r.url)}</code></p>`,
    `<ol>${items.join('')}</ol>`,
    '</body></html>',
    '',
  ].join('\n');
}
