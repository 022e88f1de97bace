// Sends a .http snippet through the whole runner (parse, build, send) and explains the answer.

import * as assert from 'node:assert/strict';
import { explain } from '../../../src/http/explain';
import { parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { buildRequest } from '../../../src/http/request-build';
import { sendRequest, type SendOptions } from '../../../src/http/send';
import type { Diagnosis, Exchange } from '../../../src/http/types';
import { fixture } from './runner-support';

export interface Explained {
  exchange: Exchange;
  diagnosis: Diagnosis[];
  codes: string[];
  errors: string[];
}

export async function sendAndExplain(httpText: string, opts: SendOptions = {}): Promise<Explained> {
  const file = parseHttpFile(httpText);
  const built = buildRequest(requestBlocks(file)[0]!, { fileVariables: file.fileVariables }, { baseDir: fixture() });
  assert.deepEqual(built.diagnoses, [], 'the snippet builds');
  const out = await sendRequest(built.request!, { env: {}, ...opts });
  if (!out.ok) assert.fail(`request failed: ${out.error.code}: ${out.error.message}`);
  const diagnosis = explain(out.exchange);
  return {
    exchange: out.exchange,
    diagnosis,
    codes: diagnosis.map((d) => d.code),
    errors: diagnosis.filter((d) => d.severity === 'error').map((d) => d.code),
  };
}

/** Asserts the codes are all present. */
export function includes(r: Explained, ...codes: string[]): void {
  for (const c of codes) assert.ok(r.codes.includes(c), `expected ${c} in [${r.codes.join(', ')}] (status ${r.exchange.response.status})`);
}

/** A correct request: a 2xx answer and no error-severity diagnosis. */
export function clean(r: Explained): void {
  assert.ok(r.exchange.response.status >= 200 && r.exchange.response.status < 300, `status ${r.exchange.response.status}`);
  assert.deepEqual(r.errors, []);
}
