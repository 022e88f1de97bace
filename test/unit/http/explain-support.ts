// Helpers for the explain tests: the repo root, JWT builders and a collecting stream.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import type { Exchange, HeaderList, SentRequest } from '../../../src/http/types';

export function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(join(d, 'package.json'))) {
    if (dirname(d) === d) throw new Error(`package.json not found above ${__dirname}`);
    d = dirname(d);
  }
  return d;
}

export function exchangesDir(): string {
  return join(repoRoot(), 'test', 'fixtures', 'exchanges');
}

const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
export function makeJwt(claims: Record<string, unknown>): string {
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2ln`;
}

/** A Writable that keeps what is written. */
export class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export function req(headers: HeaderList = [], url = 'https://api.example.com/api/me', method = 'GET'): SentRequest {
  return { method, url, headers };
}

/** An exchange with a response of this status and headers (Date fixed to 2026-01-01). */
export function ex(status: number, headers: HeaderList, request?: SentRequest, extra: Partial<Exchange> = {}): Exchange {
  const e: Exchange = {
    response: { status, statusText: '', headers: [['Date', 'Thu, 01 Jan 2026 00:00:00 GMT'], ...headers], bodyBytes: 0, elapsedMs: 0, redirects: [] },
    ...extra,
  };
  if (request) e.request = request;
  return e;
}
