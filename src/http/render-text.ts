// The report for a terminal: the diagnosis first, then the request, the redirects, the status
// line, every header field line (redacted unless showSecrets) and a short body summary.
// Control characters from the server are made visible so they cannot drive the terminal.

import type { BodyInput } from './body-view';
import { showBody } from './body-view';
import { forDisplay, hiddenNote } from './redact';
import { escapeForTerminal } from './terminal-text';

export { escapeChar, NOT_PRINTABLE_SOURCE as INVISIBLE_SOURCE } from './terminal-text';
import type { Report } from './types';

export interface TextOptions {
  showSecrets?: boolean;
  /** Values known to be secret besides what the report shows (private env values...). */
  secretValues?: Iterable<string>;
  /** Wrap width for prose (default 100). */
  width?: number;
  /** Body characters shown at most (default 4000). */
  bodyLimit?: number;
}

/** Replaces every non-printable character (controls, bidi and zero-width format characters...) by a visible escape. */
export function visible(s: string, keepNewlines = false): string {
  return escapeForTerminal(s, keepNewlines);
}

function wrap(text: string, width: number, indent: string): string {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && indent.length + line.length + 1 + w.length > width) {
      lines.push(indent + line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

/** What to say when no diagnosis applies. */
export function emptyNote(r: Report): string {
  const status = r.response?.status ?? 0;
  if (status < 400) return 'No authentication problem found.';
  if ([401, 403, 407].includes(status) && r.request.method === '') {
    return `The request is unknown, so the cause of this ${status} cannot be narrowed down: pass it with --request (the raw request, or the "> " lines of curl -v).`;
  }
  return 'No authentication-specific explanation for this status.';
}

/** "(dropped: Authorization, X-API-Key)": what a hop removed, or sent on to another origin. */
export function redirectNote(h: { dropped?: string[]; kept?: string[] }): string {
  const parts: string[] = [];
  if (h.dropped?.length) parts.push(`dropped before following: ${h.dropped.map((n) => visible(n)).join(', ')}`);
  if (h.kept?.length) parts.push(`sent on to the new origin: ${h.kept.map((n) => visible(n)).join(', ')}`);
  return parts.length ? `  (${parts.join('; ')})` : '';
}

const MARK = { error: 'error  ', warning: 'warning', info: 'info   ' };

/** The whole report as plain text, ending with a newline. */
export function renderText(report: Report, body: BodyInput = {}, opts: TextOptions = {}): string {
  const shownAs = forDisplay(report, body, { ...opts, bodyLimit: opts.bodyLimit ?? 4000 });
  const r = shownAs.report;
  const width = opts.width ?? 100;
  const out: string[] = [];
  if (r.error) {
    out.push(`Request failed (${visible(r.error.code)}): ${visible(r.error.message)}`, '');
  }
  if (r.diagnosis.length === 0 && r.response) out.push(emptyNote(r), '');
  for (const d of r.diagnosis) {
    out.push(`${MARK[d.severity]} ${d.code}: ${visible(d.title)}`);
    out.push(wrap(visible(d.detail), width, '        '));
    if (d.refs.length > 0) out.push(`        See ${d.refs.join(', ')}`);
    out.push('');
  }
  if (r.request.method !== '' || r.request.url !== '') {
    out.push(`${visible(r.request.method)} ${visible(r.request.url)}`);
    for (const [n, v] of r.request.headers) out.push(`  ${visible(n)}: ${visible(v)}`);
    out.push('');
  }
  const res = r.response;
  if (res) {
    for (const h of res.redirects) out.push(`  ${h.status} -> ${visible(h.location)}${redirectNote(h)}`);
    if (res.redirects.length > 0) out.push('');
    out.push(`HTTP ${res.status} ${visible(res.statusText)}  (${res.bodyBytes} bytes, ${res.elapsedMs} ms)`);
    for (const [n, v] of res.headers) out.push(`  ${visible(n)}: ${visible(v)}`);
    const shown = showBody(shownAs.body, opts.bodyLimit ?? 4000);
    if (shown.kind !== 'none' && shown.kind !== 'binary') {
      out.push('', visible(shown.text, true));
    }
    if (shown.note && shown.kind !== 'none') out.push('', shown.note);
  }
  if (shownAs.hidden > 0) out.push('', hiddenNote(shownAs.hidden));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** The JSON report of the contract, redacted unless showSecrets. */
export function renderJson(report: Report, opts: { showSecrets?: boolean; secretValues?: Iterable<string> } = {}): string {
  return `${JSON.stringify(forDisplay(report, {}, opts).report, null, 2)}\n`;
}
