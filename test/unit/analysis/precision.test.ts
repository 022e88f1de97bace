// Inline cases for what the linter must and must not say, beyond the fixture files:
// checks are not emissions, helpers are reported once, constants resolve, project injectors count.
import * as assert from 'node:assert/strict';
import { analyze, findingsOf, lintSource, projectFactsOf } from '../../../src/analysis/lint';
import type { Finding } from '../../../src/analysis/types';

function ids(code: string, file = 'server.js'): string[] {
  const r = lintSource(code, file);
  assert.equal(r.error, undefined, r.error);
  return r.findings.map((f) => `${f.ruleId}@${code.slice(f.range[0], f.range[1])}`);
}

function only(code: string, file = 'server.js'): Finding[] {
  return lintSource(code, file).findings;
}

describe('precision: checks are never findings', () => {
  const cases: Record<string, string> = {
    'a status comparison': `app.use((req, res, next) => { if (res.statusCode === 401) log(req); next(); });`,
    'a fetch client handling 401': `const r = await fetch(url); if (r.status === 401) { await refresh(); }`,
    'an axios interceptor': `axios.interceptors.response.use(null, (err) => { if (err.response?.status === 401) logout(); return Promise.reject(err); });`,
    'a jest expectation': `expect(res.status).toBe(401); expect(res.status).toHaveBeenCalledWith(401);`,
    'a chai-http assertion': `expect(res).to.have.status(401);`,
    'a supertest expectation': `await request(app).get('/me').expect(401);`,
    'a status table': `const MESSAGES = { 401: 'Unauthorized', 403: 'Forbidden', 407: 'Proxy Authentication Required' };`,
    'a switch over statuses': `switch (status) { case 401: return 'login'; case 403: return 'denied'; }`,
    'an includes check': `if ([401, 403].includes(res.status)) retry();`,
    'a comment and a string': `// res.status(401) without a challenge\nconst doc = "res.status(401).end()";`,
    'an error class declaring its status': `class AuthError extends Error { constructor(m) { super(m); this.status = 401; } }`,
    'a nock mock reply': `nock('https://api').get('/me').reply(401, {});`,
    'an OpenAPI decorator': `class C { @ApiResponse({ status: 401, description: 'Unauthorized' }) get() {} }`,
    'a fastify route schema': `fastify.get('/', { schema: { response: { 401: { type: 'object' } } } }, handler);`,
    'a proxied upstream status': `app.get('/p', async (req, res) => { const r = await upstream(req); res.status(r.status).send(r.body); });`,
    'a WebSocket close code': `ws.close(4401, 'unauthorized');`,
  };
  for (const [name, code] of Object.entries(cases)) {
    it(`says nothing about ${name}`, () => assert.deepEqual(ids(code, name.includes('decorator') ? 'c.ts' : 'server.js'), []));
  }
});

describe('precision: emissions and challenges', () => {
  it('flags Express res.status(401).json() with no challenge (the 401 guides)', () => {
    assert.deepEqual(ids(`app.get('/me', (req, res) => res.status(401).json({ error: 'login' }));`), ['missing-www-authenticate@401']);
  });

  it('flags native res.writeHead(401, {Content-Type}) with no challenge', () => {
    assert.deepEqual(ids(`http.createServer((req, res) => { res.writeHead(401, { 'Content-Type': 'text/plain' }); res.end('no'); });`), ['missing-www-authenticate@401']);
  });

  it('accepts a Bearer challenge set before status(401)', () => {
    assert.deepEqual(ids(`app.get('/me', (req, res) => { res.set('WWW-Authenticate', 'Bearer realm="api"'); res.status(401).json({}); });`), []);
  });

  it('accepts a challenge set in the same chain', () => {
    assert.deepEqual(ids(`app.get('/me', (req, res) => res.status(401).set('WWW-Authenticate', 'Bearer realm="api"').end());`), []);
  });

  it('does not count a challenge set after the response was sent', () => {
    assert.deepEqual(ids(`app.get('/me', (req, res) => { res.status(401).end(); res.set('WWW-Authenticate', 'Bearer realm="api"'); });`), ['missing-www-authenticate@401']);
  });

  it('does not count a challenge set on a branch that returned', () => {
    const code = `app.get('/me', (req, res) => {
      if (req.query.a) { res.set('WWW-Authenticate', 'Bearer realm="api"'); return res.status(401).end(); }
      return res.status(401).end();
    });`;
    assert.deepEqual(ids(code), ['missing-www-authenticate@401']);
  });

  it('resolves a status held in a constant', () => {
    assert.deepEqual(ids(`const UNAUTHORIZED = 401;\napp.get('/', (req, res) => res.status(UNAUTHORIZED).end());`), ['missing-www-authenticate@UNAUTHORIZED']);
    assert.deepEqual(ids(`import { StatusCodes } from 'http-status-codes';\napp.get('/', (req, res) => res.status(StatusCodes.UNAUTHORIZED).end());`), ['missing-www-authenticate@StatusCodes.UNAUTHORIZED']);
  });

  it('reports a 401 wrapper once, at the helper', () => {
    const code = `function deny(res) { res.status(401).end(); }\napp.get('/a', (req, res) => deny(res));\napp.get('/b', (req, res) => deny(res));`;
    assert.deepEqual(ids(code), ['missing-www-authenticate@401']);
  });

  it('counts a local helper that always sets the challenge', () => {
    const code = `function challenge(res) { res.setHeader('WWW-Authenticate', 'Basic realm="x"'); }\napp.get('/a', (req, res) => { challenge(res); res.status(401).end(); });`;
    assert.deepEqual(ids(code), []);
  });

  it('reports a status-parameter helper at each call that passes 401', () => {
    const code = `function send(res, status, body, headers = {}) { res.writeHead(status, { 'Content-Type': 'application/json', ...headers }); res.end(JSON.stringify(body)); }
      const a = (req, res) => send(res, 401, { e: 1 });
      const b = (req, res) => send(res, 401, { e: 1 }, { 'WWW-Authenticate': 'Bearer realm="x"' });
      const c = (req, res) => send(res, 200, {});`;
    assert.deepEqual(ids(code), ['missing-www-authenticate@401']);
  });

  it('models Koa: ctx.set before ctx.throw(401) is wiped', () => {
    const code = `const Koa = require('koa');\napp.use(async (ctx) => { ctx.set('WWW-Authenticate', 'Bearer realm="a"'); ctx.throw(401); });`;
    const f = only(code);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.messageId, 'discardedByKoa');
  });

  it('uses a challenge injector registered from another file of the package (linter-notes §D.10.2)', () => {
    const handler = `const onError = require('./errors');\napp.get('/a', (req, res, next) => next(createError(401, 'login')));\napp.use(onError);`;
    const errors = `module.exports = function onError(err, req, res, next) { if (err.status === 401) res.set('WWW-Authenticate', 'Bearer realm="api"'); res.status(err.status || 500).json({}); };`;
    const a1 = analyze(handler, 'routes.js');
    const a2 = analyze(errors, 'errors.js');
    assert.equal(findingsOf(a1).findings.length, 1, 'alone, the route is flagged');
    assert.deepEqual(findingsOf(a1, {}, projectFactsOf([a1, a2])).findings, []);
  });

  it('an error handler that is never registered covers nothing', () => {
    const handler = `app.get('/a', (req, res, next) => next(createError(401, 'login')));`;
    const errors = `module.exports = function onError(err, req, res, next) { if (err.status === 401) res.set('WWW-Authenticate', 'Bearer realm="api"'); res.status(err.status || 500).json({}); };`;
    const a1 = analyze(handler, 'routes.js');
    const a2 = analyze(errors, 'errors.js');
    assert.equal(findingsOf(a1, {}, projectFactsOf([a1, a2])).findings.length, 1);
  });

  it('skips test files by path only when walking, but lintSource lints what it is given', () => {
    assert.equal(ids(`app.get('/', (req, res) => res.sendStatus(401));`, 'routes.test.js').length, 1);
  });
});

describe('401 versus 403', () => {
  it('flags 403 for a missing token and offers 401 with a challenge', () => {
    const code = `app.use((req, res, next) => { if (!req.headers.authorization) return res.status(403).send('no'); next(); });`;
    const f = only(code);
    assert.deepEqual(f.map((x) => x.ruleId), ['403-for-missing-credentials']);
    const edits = f[0]!.fixes[0]!.edits;
    let out = code;
    for (const e of [...edits].sort((a, b) => b.range[0] - a.range[0])) out = out.slice(0, e.range[0]) + e.text + out.slice(e.range[1]);
    assert.match(out, /res\.set\('WWW-Authenticate', 'Bearer realm="api"'\)\.status\(401\)/);
  });

  it('flags 403 in a jwt.verify callback error branch', () => {
    assert.deepEqual(ids(`jwt.verify(token, key, (err, user) => { if (err) return res.sendStatus(403); next(); });`), ['403-for-missing-credentials@403']);
  });

  it('says nothing for CSRF, banned accounts or mixed guards', () => {
    assert.deepEqual(ids(`app.post('/x', (req, res) => { if (req.body._csrf !== req.session.csrf) return res.sendStatus(403); });`), []);
    assert.deepEqual(ids(`app.post('/x', (req, res) => { if (req.user.banned) return res.sendStatus(403); });`), []);
    assert.deepEqual(ids(`app.post('/x', (req, res) => { if (!req.user || !req.user.isAdmin) return res.sendStatus(403); });`), []);
  });

  it('flags 401 for a role check on an identified user (the express-jwt README)', () => {
    assert.deepEqual(ids(`app.get('/protected', (req, res) => { if (!req.auth.admin) return res.sendStatus(401); res.sendStatus(200); });`).sort(), [
      '401-for-insufficient-permission@401',
      'missing-www-authenticate@401',
    ]);
  });

  it('says nothing for step-up authentication', () => {
    const code = `app.post('/pay', (req, res) => { if (!req.user.mfaVerified) { res.set('WWW-Authenticate', 'Bearer realm="a", acr_values="mfa"'); return res.sendStatus(401); } });`;
    assert.deepEqual(ids(code), []);
  });

  it('says nothing for identity checks under 401', () => {
    assert.deepEqual(ids(`app.get('/', (req, res) => { if (!req.auth) { res.set('WWW-Authenticate', 'Bearer realm="a"'); return res.sendStatus(401); } });`), []);
  });
});

describe('suppressions and bad input', () => {
  it('honours authlint-disable-next-line and authlint-disable', () => {
    assert.deepEqual(ids(`// authlint-disable-next-line missing-www-authenticate\napp.get('/', (req, res) => res.sendStatus(401));`), []);
    assert.deepEqual(ids(`/* authlint-disable missing-www-authenticate */\napp.get('/', (req, res) => res.sendStatus(401));`), []);
    assert.equal(ids(`// authlint-disable-next-line malformed-www-authenticate\napp.get('/', (req, res) => res.sendStatus(401));`).length, 1);
  });

  it('reports a parse error with its position and no findings', () => {
    const r = lintSource(`app.get('/', (req, res) => { res.sendStatus(401);`, 'broken.js');
    assert.equal(r.findings.length, 0);
    assert.match(r.error ?? '', /^1:\d+: /);
  });

  it('says plainly when a file nests too deeply for the parser', () => {
    const r = lintSource('res' + '.set("a","b")'.repeat(3000) + '.status(401).end();', 'deep.js');
    assert.equal(r.findings.length, 0);
    assert.match(r.error ?? '', /nests expressions too deeply/);
  });

  it('skips a file over the size limit with a message', () => {
    const r = lintSource(`res.sendStatus(401);\n`.repeat(100), 'big.js', { maxFileSize: 100 });
    assert.equal(r.findings.length, 0);
    assert.match(r.skipped ?? '', /over the 100 limit/);
  });

  it('turns rules off and changes severities from settings', () => {
    const code = `app.get('/', (req, res) => res.sendStatus(401));`;
    assert.equal(lintSource(code, 'a.js', { rules: { 'missing-www-authenticate': 'off' } }).findings.length, 0);
    assert.equal(lintSource(code, 'a.js', { rules: { 'missing-www-authenticate': 'info' } }).findings[0]!.severity, 'info');
  });

  it('inserts the configured default challenge', () => {
    const f = lintSource(`app.get('/', (req, res) => res.sendStatus(401));`, 'a.js', { defaultChallenge: 'Basic realm="intranet"' }).findings[0]!;
    assert.match(f.fixes[0]!.edits[0]!.text, /Basic realm="intranet"/);
  });
});
