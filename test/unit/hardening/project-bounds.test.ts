// What a .http file may make us read: env files only inside the project (the workspace folder
// in the editor, the nearest folder holding .git or package.json for the CLI), and body files
// that are regular files under the size cap (a device grows without end, a FIFO blocks forever,
// on the extension host too). `explain` reads at most 32 MB of stdin. Generated folder depths
// and file sizes around the cap.

import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { MAX_STDIN_BYTES, runExplain } from '../../../src/cli/explain';
import { loadDotenv, loadEnvironmentSources, projectRoot } from '../../../src/http/environments';
import { parseHttpFile, requestBlocks } from '../../../src/http/http-file';
import { buildRequest, readBodyFile } from '../../../src/http/request-build';
import { cli, noHang, send } from './support';

class Sink {
  text = '';
  write(s: string | Buffer): boolean {
    this.text += s.toString();
    return true;
  }
}

describe('hardening: env files stay inside the project', function () {
  this.timeout(30_000);
  let top: string;
  before(() => {
    top = mkdtempSync(join(tmpdir(), 'authlint-bounds-'));
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  it('a .env and a private env file above the project root are never read, at any depth', () => {
    let k = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('.git', 'package.json'), (above, below, marker) => {
        const outer = join(top, `case${k++}`);
        let root = outer;
        for (let i = 0; i < above; i++) root = join(root, `up${i}`);
        let dir = root;
        for (let i = 0; i < below; i++) dir = join(dir, `down${i}`);
        mkdirSync(dir, { recursive: true });
        if (marker === '.git') mkdirSync(join(root, '.git'));
        else writeFileSync(join(root, 'package.json'), '{}');
        writeFileSync(join(outer, '.env'), 'LEAK=outside\n');
        writeFileSync(join(outer, 'http-client.private.env.json'), JSON.stringify({ dev: { leak: 'outside' } }));
        assert.equal(projectRoot(dir), root);
        // The project root is the last folder searched; with nothing above it, nothing is found.
        if (above > 0) {
          assert.equal(loadDotenv(dir), undefined, `read ${outer}/.env from ${dir}`);
          assert.deepEqual(loadEnvironmentSources(dir).files, []);
        }
        // Files inside the project are still found from below.
        writeFileSync(join(root, '.env'), 'IN=inside\n');
        assert.deepEqual(loadDotenv(dir), { IN: 'inside' });
      }),
      { numRuns: 25, seed: 1111 },
    );
  });

  it('the editor passes the workspace folder: nothing above it is read, even inside the project', () => {
    const proj = join(top, 'ws');
    const folder = join(proj, 'api');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(proj, 'package.json'), '{}');
    writeFileSync(join(proj, '.env'), 'LEAK=above-workspace\n');
    assert.equal(loadDotenv(folder, undefined, folder), undefined);
    assert.deepEqual(loadDotenv(folder), { LEAK: 'above-workspace' }, 'the CLI rule alone would read it');
  });

  it('without any project marker up to the root, only the .http file\'s own folder is searched', () => {
    // tmpdir() has no .git or package.json above it on a normal machine; skip when it does.
    const lone = join(top, 'lone', 'a');
    mkdirSync(lone, { recursive: true });
    writeFileSync(join(top, 'lone', '.env'), 'LEAK=parent\n');
    if (projectRoot(lone) !== undefined) return;
    assert.equal(loadDotenv(lone), undefined);
    writeFileSync(join(lone, '.env'), 'OWN=1\n');
    assert.deepEqual(loadDotenv(lone), { OWN: '1' });
  });

  it('authlint send: {{$dotenv}} of a .env above the project is unresolved, exit 2, value not printed', async () => {
    const outer = join(top, 'send-case');
    const proj = join(outer, 'proj');
    mkdirSync(join(proj, '.git'), { recursive: true });
    writeFileSync(join(outer, '.env'), 'TOKEN=outer-secret-value\n');
    writeFileSync(join(proj, 'a.http'), 'GET http://127.0.0.1:9/x\nX-Token: {{$dotenv TOKEN}}\n');
    const r = await send(join(proj, 'a.http'));
    assert.equal(r.code, 2);
    assert.match(r.err, /no "TOKEN" in the \.env file/);
    assert.ok(!(r.out + r.err).includes('outer-secret-value'));
  });
});

describe('hardening: body files are regular files under a cap', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'authlint-bodies-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function build(bodyLine: string) {
    const f = parseHttpFile(`POST http://127.0.0.1:9/x\nContent-Type: application/octet-stream\n\n${bodyLine}\n`);
    return buildRequest(requestBlocks(f)[0]!, { fileVariables: f.fileVariables }, { baseDir: dir });
  }

  for (const dev of ['/dev/zero', '/dev/urandom', '/dev/null']) {
    it(`< ${dev}: refused at once as a device, nothing read`, function () {
      if (!existsSync(dev)) this.skip();
      const r = noHang(dev, () => build(`< ${dev}`));
      assert.equal(r.request, undefined);
      assert.match(r.diagnoses.map((d) => d.message).join('\n'), new RegExp(`body file "${dev}" cannot be sent: it is a device: only regular files can be sent as a body`));
    });
  }

  it('a FIFO with no writer: refused at once instead of blocking the caller forever', function () {
    const fifo = join(dir, 'pipe');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      this.skip();
    }
    const r = noHang('fifo', () => build(`< ${fifo}`));
    assert.equal(r.request, undefined);
    assert.match(r.diagnoses[0]!.message, /it is a pipe \(FIFO\): only regular files/);
  });

  it('a link to a device and a folder are refused too; a regular file is sent', () => {
    symlinkSync('/dev/zero', join(dir, 'zero-link'));
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'ok.bin'), Buffer.from([1, 2, 3]));
    assert.match(build('< ./zero-link').diagnoses[0]!.message, /a device/);
    assert.match(build('< ./folder').diagnoses[0]!.message, /a folder/);
    assert.deepEqual([...build('< ./ok.bin').request!.body!], [1, 2, 3]);
  });

  it('sizes around the cap: under is read whole, over is refused with the size named', () => {
    const limit = 4096;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * limit }), (size) => {
        const p = join(dir, `s${size}.bin`);
        writeFileSync(p, Buffer.alloc(size, 7));
        const r = readBodyFile(p, limit);
        if (size <= limit) assert.ok(Buffer.isBuffer(r) && r.length === size, `size ${size}`);
        else assert.ok(!Buffer.isBuffer(r) && r.error.includes(`${size} bytes, over the`), `size ${size}`);
      }),
      { numRuns: 60, seed: 4096 },
    );
  });

  it('the built CLI on `< /dev/zero`: exit 2 with a clear line, within the hang bound', async function () {
    if (!existsSync('/dev/zero')) this.skip();
    const f = join(dir, 'zero.http');
    writeFileSync(f, 'POST http://127.0.0.1:9/x\n\n< /dev/zero\n');
    const r = await cli(['send', f], { limitMs: 10_000 });
    assert.equal(r.killed, false);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /zero\.http:3: the body file "\/dev\/zero" cannot be sent: it is a device/);
  });
});

describe('hardening: explain reads a bounded stdin', function () {
  this.timeout(60_000);

  it('an endless stdin stops past 32 MB with exit 2 and a clear message', async () => {
    let produced = 0;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const head = Buffer.from('HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\n\r\n');
    const endless = new Readable({
      read() {
        produced += chunk.length;
        this.push(produced === chunk.length ? Buffer.concat([head, chunk]) : chunk);
      },
    });
    const stdout = new Sink();
    const stderr = new Sink();
    const code = await runExplain([], { stdin: endless, stdout: stdout as unknown as NodeJS.WritableStream, stderr: stderr as unknown as NodeJS.WritableStream });
    assert.equal(code, 2);
    assert.match(stderr.text, /stdin holds more than 32 MB/);
    assert.ok(produced <= MAX_STDIN_BYTES + 4 * chunk.length, `read ${produced} bytes`);
    assert.equal(stdout.text, '');
  });

  it('a capture under the cap is still explained', async () => {
    const stdout = new Sink();
    const code = await runExplain(['--format', 'json'], { stdin: Readable.from([Buffer.from('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="a"\r\n\r\n')]), stdout: stdout as unknown as NodeJS.WritableStream, stderr: new Sink() as unknown as NodeJS.WritableStream });
    assert.equal(code, 0);
    assert.equal(JSON.parse(stdout.text).response.status, 401);
  });

  it('--request naming a device is refused without reading it', async function () {
    if (!existsSync('/dev/zero')) this.skip();
    const stderr = new Sink();
    const code = await runExplain(['--request', '/dev/zero'], { stdin: Readable.from([Buffer.from('HTTP/1.1 401 X\r\n\r\n')]), stdout: new Sink() as unknown as NodeJS.WritableStream, stderr: stderr as unknown as NodeJS.WritableStream });
    assert.equal(code, 2);
    assert.match(stderr.text, /cannot read \/dev\/zero: it is a device: only regular files can be read as a request/);
  });
});
