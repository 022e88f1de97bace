import * as assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { runExplain } from '../../../src/cli/explain';
import type { Report } from '../../../src/http/types';
import { Collect, exchangesDir } from './explain-support';

async function run(args: string[], stdin: NodeJS.ReadableStream): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Collect();
  const stderr = new Collect();
  const code = await runExplain(args, { stdin, stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

const fixture = (name: string, file: string): string => join(exchangesDir(), name, file);

describe('authlint explain (runExplain)', () => {
  it('explains a capture from a file stream as JSON, exit 0', async () => {
    const r = await run(['--format', 'json', '--request', fixture('token-expired', 'request.txt')], createReadStream(fixture('token-expired', 'response.txt')));
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out) as Report;
    assert.equal(report.response?.status, 401);
    assert.deepEqual(report.diagnosis.map((d) => d.code), ['token-expired', 'invalid-token']);
    assert.ok(report.request.headers.some(([n, v]) => n === 'Authorization' && v === 'Bearer …'));
  });

  it('accepts --format=html and --show-secrets', async () => {
    const r = await run(['--format=html', '--show-secrets', '--request', fixture('token-expired', 'request.txt')], createReadStream(fixture('token-expired', 'response.txt')));
    assert.equal(r.code, 0);
    assert.match(r.out, /^<!DOCTYPE html>/);
    assert.match(r.out, /Bearer eyJ/);
  });

  it('prints text by default and exits 0 whatever the status', async () => {
    const r = await run([], createReadStream(fixture('ok-200', 'response.txt')));
    assert.equal(r.code, 0);
    assert.match(r.out, /No authentication problem found/);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [['--format', 'xml'], ['--bogus'], ['--request']]) {
      const r = await run(args, Readable.from([]));
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /Usage: authlint explain/);
      assert.equal(r.out, '');
    }
  });

  it('exits 2 when the request file is missing or not a request', async () => {
    const missing = await run(['--request', join(tmpdir(), 'authlint-no-such-file.txt')], Readable.from([Buffer.from('HTTP/1.1 401 X\r\n\r\n')]));
    assert.equal(missing.code, 2);
    assert.match(missing.err, /ENOENT/);
    const dir = mkdtempSync(join(tmpdir(), 'authlint-explain-'));
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'not a request');
    const bad = await run(['--request', junk], Readable.from([Buffer.from('HTTP/1.1 401 X\r\n\r\n')]));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /request line/);
  });

  it('exits 2 when stdin holds no response', async () => {
    const empty = await run([], Readable.from([]));
    assert.equal(empty.code, 2);
    assert.match(empty.err, /empty/);
    const html = await run([], Readable.from([Buffer.from('<html>oops</html>')]));
    assert.equal(html.code, 2);
    assert.match(html.err, /status line/);
  });

  it('prints help with exit 0', async () => {
    const r = await run(['--help'], Readable.from([]));
    assert.equal(r.code, 0);
    assert.match(r.out, /--request RAW_REQUEST_FILE/);
  });
});
