// examples/oauth/ runs against the bundled demo server: the .http file and env files as shipped
// (only the host changed to the server's port), through `authlint send`.

import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSend } from '../../../../src/cli/send';
import { Collect } from '../explain-support';
import { close, listen, repoRoot } from '../runner-support';
import { project, type Project } from './run-support';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createServer } = require(join(repoRoot(), 'examples', 'demo-server.js')) as { createServer(): import('node:http').Server };

describe('examples/oauth against examples/demo-server.js', function () {
  this.timeout(20_000);
  let server: import('node:http').Server;
  let p: Project;
  before(async () => {
    server = createServer();
    const base = await listen(server);
    const dir = join(repoRoot(), 'examples', 'oauth');
    const env = readFileSync(join(dir, 'http-client.env.json'), 'utf8').replace('http://127.0.0.1:3000', base);
    p = project({ 'http-client.env.json': env, 'http-client.private.env.json': readFileSync(join(dir, 'http-client.private.env.json'), 'utf8') });
    p.write('oauth.http', readFileSync(join(dir, 'oauth.http'), 'utf8'));
  });
  after(async () => {
    p.remove();
    await close(server);
  });

  async function send(name: string): Promise<{ code: number; json: { response: { status: number } | null; diagnosis: Array<{ code: string; detail: string; title: string }> }; raw: string }> {
    const stdout = new Collect();
    const stderr = new Collect();
    const code = await runSend([join(p.dir, 'oauth.http'), '--env', 'demo', '--name', name, '--format', 'json'], { stdout, stderr });
    return { code, json: JSON.parse(stdout.text), raw: stdout.text + stderr.text };
  }

  it('profile: 200 with a client-credentials token', async () => {
    const r = await send('profile');
    assert.equal(r.code, 0);
    assert.equal(r.json.response!.status, 200);
    assert.ok(!r.raw.includes('demo-secret'));
  });

  it('admin: insufficient-scope says to add admin to Scope', async () => {
    const r = await send('admin');
    assert.equal(r.json.response!.status, 403);
    assert.match(r.json.diagnosis.find((d) => d.code === 'insufficient-scope')!.detail, /Add admin to "Scope" in Security\.Auth\."demo"/);
  });

  it('adminScoped: 200 (client_secret_post)', async () => {
    assert.equal((await send('adminScoped')).json.response!.status, 200);
  });

  it('wrongSecret: token-request-failed, invalid_client, exit 0, no secret shown', async () => {
    const r = await send('wrongSecret');
    assert.equal(r.code, 0);
    assert.equal(r.json.diagnosis[0]!.code, 'token-request-failed');
    assert.match(r.json.diagnosis[0]!.title, /invalid_client/);
    assert.ok(!r.raw.includes('not-the-demo-secret'));
  });
});
