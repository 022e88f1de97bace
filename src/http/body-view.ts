// How a response body is shown: pretty JSON, text (truncated past a limit), or a summary
// for binary bodies. Shared by the text and HTML renderers.

import type { ReceivedResponse } from './types';

export interface BodyInput {
  text?: string;
  /** The text is already cut short (the sender stopped reading). */
  truncated?: boolean;
  binary?: boolean;
  contentType?: string;
  /** Total size in bytes, when known. */
  bytes?: number;
}

export interface BodyShown {
  kind: 'none' | 'binary' | 'json' | 'text';
  text: string;
  /** A sentence for the reader: truncated, binary summary, size. */
  note?: string;
}

export const HTML_BODY_LIMIT = 256 * 1024;

/** The body fields of a ReceivedResponse as renderer input. */
export function bodyOf(r: ReceivedResponse): BodyInput {
  const out: BodyInput = { bytes: r.bodyBytes };
  const ct = r.headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1];
  if (ct !== undefined) out.contentType = ct;
  if (r.body !== undefined) out.text = r.body;
  if (r.bodyTruncated) out.truncated = true;
  if (r.bodyBinary) out.binary = true;
  return out;
}

function size(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** Decides what to show; `limit` is in UTF-16 units (about bytes for ASCII). */
export function showBody(body: BodyInput, limit = HTML_BODY_LIMIT): BodyShown {
  const type = body.contentType ?? 'unknown type';
  if (body.binary) {
    const n = body.bytes ?? 0;
    return { kind: 'binary', text: '', note: `Binary body (${type}, ${size(n)}) not shown.` };
  }
  const raw = body.text ?? '';
  if (raw.length === 0) return { kind: 'none', text: '', note: body.bytes ? `Body of ${size(body.bytes)} not available.` : 'No body.' };
  let text = raw;
  let kind: BodyShown['kind'] = 'text';
  const jsonish = /json/i.test(type) || /^\s*[[{]/.test(raw);
  if (jsonish && raw.length <= limit) {
    try {
      text = JSON.stringify(JSON.parse(raw), null, 2);
      kind = 'json';
    } catch {
      // not JSON after all: show as text
    }
  }
  const notes: string[] = [];
  if (text.length > limit) {
    text = text.slice(0, limit);
    notes.push(`Body truncated: showing the first ${size(limit)} of ${size(body.bytes ?? raw.length)}.`);
  } else if (body.truncated) {
    notes.push(`Body truncated by the sender: ${size(raw.length)} of ${body.bytes ? size(body.bytes) : 'more'} shown.`);
  }
  const shown: BodyShown = { kind, text };
  if (notes.length > 0) shown.note = notes.join(' ');
  return shown;
}
