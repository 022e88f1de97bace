// Emission shapes found in real published server code: error classes (local, from packages,
// from other files of the project), error builders, challenge strings built away from the
// header write, upstream relays and configuration switches.
import * as assert from 'node:assert/strict';
import { analyze, findingsOf, lintSource, projectFactsOf } from '../../../src/analysis/lint';
import type { PackageInfo } from '../../../src/analysis/packages';

function ids(code: string, file = 'server.ts'): string[] {
  const r = lintSource(code, file);
  assert.equal(r.error, undefined, r.error);
  return r.findings.map((f) => `${f.ruleId}@${code.slice(f.range[0], f.range[1])}`);
}

describe('recall: error classes and builders', () => {
  it('flags a project error class given 401 as an argument', () => {
    assert.deepEqual(ids(`import { HttpException } from '../exceptions/HttpException';\nexport const auth = (req, res, next) => { if (!req.headers.authorization) next(new HttpException(401, 'Authentication token missing')); };`), [
      'missing-www-authenticate@401',
    ]);
  });

  it('flags a class of another file that declares its 401 in super()', () => {
    const cls = `export class UnauthorizedError extends APIError { constructor(t) { super('Unauthorized', 401); } }`;
    const use = `import { UnauthorizedError } from '../errors/UnauthorizedError.js';\nexport async function del({ req }) { if (!req.user) { throw new UnauthorizedError(req.t); } }`;
    const a = analyze(cls, 'errors/UnauthorizedError.js');
    const b = analyze(use, 'operations/delete.js');
    assert.deepEqual(findingsOf(b).findings, [], 'alone, the class is unknown');
    const f = findingsOf(b, {}, projectFactsOf([a, b])).findings;
    assert.equal(f.length, 1);
    assert.equal(use.slice(f[0]!.range[0], f[0]!.range[1]), 'UnauthorizedError');
  });

  it('finds a project class in a file the prefilter would skip', () => {
    const cls = `class ProviderAuthError extends Error { constructor() { super('expired'); this.statusCode = 401; } }\nmodule.exports = { ProviderAuthError };`;
    const use = `const { ProviderAuthError } = require('./errors');\nasync function list(token) { if (!token) throw new ProviderAuthError(); }`;
    const a = analyze(cls, 'errors.js');
    const b = analyze(use, 'list.js');
    assert.ok('none' in b, 'the prefilter skips list.js on its own');
    assert.equal(findingsOf(b, {}, projectFactsOf([a, b])).findings.length, 1);
  });

  it('knows package error classes by name (feathers, tsed, strapi) but not GraphQL ones', () => {
    assert.deepEqual(ids(`const errors = require('@feathersjs/errors');\nfunction f(p) { if (!p.accessToken) throw new errors.NotAuthenticated('No access token'); }`, 'a.js'), [
      'missing-www-authenticate@NotAuthenticated',
    ]);
    assert.deepEqual(ids(`import { AuthenticationError } from 'apollo-server-express';\nfunction f(u) { if (!u) throw new AuthenticationError('login'); }`), []);
  });

  it('flags an error builder called with 401, and the role check guarding it', () => {
    const code = `const { buildErrObject } = require('../utils');\nconst check = ({ roles }, result) => new Promise((resolve, reject) => { if (roles.indexOf(result.role) > -1) { return resolve(); } reject(buildErrObject(401, 'UNAUTHORIZED')); });`;
    assert.deepEqual(ids(code, 'a.js').sort(), ['401-for-insufficient-permission@401', 'missing-www-authenticate@401']);
  });

  it('reports an @fastify/error factory once, at its definition', () => {
    const code = `const createError = require('@fastify/error');\nconst NoToken = createError('FST_NO_TOKEN', 'No token', 401);\nfunction a() { throw new NoToken(); }\nfunction b() { throw new NoToken(); }`;
    assert.deepEqual(ids(code, 'a.js'), ['missing-www-authenticate@401']);
  });

  it('moves a pure error factory to the calls in the file', () => {
    const code = `import createError from 'http-errors';\nconst unauthorized = (msg) => createError(401, msg);\napp.use((req, res, next) => { if (!req.user) return next(unauthorized('login')); next(); });`;
    assert.deepEqual(ids(code), ['missing-www-authenticate@unauthorized']);
  });

  it('does not flag a client-side error describing a received 401', () => {
    assert.deepEqual(ids(`export class StreamableHTTPError extends Error {}\nasync function send(r) { if (r.status === 401) throw new StreamableHTTPError(401, 'Unauthorized'); }`, 'src/client/streamableHttp.ts'), []);
  });
});

describe('recall: factories and classes of other files of the package', () => {
  it('moves an error factory exported by another file to the calls that import it (relative or alias)', () => {
    const lib = `import Boom from '@hapi/boom';\nexport const unauthorized = (message) => Boom.unauthorized(message);\nexport const forbidden = (message) => Boom.forbidden(message);`;
    const rel = `import { unauthorized } from '../utils/replies';\nexport async function find(token) { if (!token) throw unauthorized('no token'); }`;
    const alias = `import { unauthorized as deny } from '@app/utils/replies';\nexport async function find(token) { if (!token) throw deny('no token'); }`;
    const pkgImport = `import { unauthorized } from 'some-package';\nexport async function find(token) { if (!token) throw unauthorized('no token'); }`;
    const a = analyze(lib, 'utils/replies.js');
    const deps: PackageInfo = { root: '.', dependencies: new Set(['@hapi/boom', 'some-package']) };
    for (const [code, file, want] of [[rel, 'daos/a.js', 'unauthorized'], [alias, 'daos/b.js', 'deny'], [pkgImport, 'daos/c.js', undefined]] as const) {
      const b = analyze(code, file);
      const f = findingsOf(b, {}, projectFactsOf([a, b], deps)).findings;
      assert.deepEqual(f.map((x) => `${x.ruleId}@${code.slice(x.range[0], x.range[1])}`), want ? [`missing-www-authenticate@${want}`] : [], file);
    }
    assert.deepEqual(findingsOf(a, {}, projectFactsOf([a], deps)).findings, [], 'the factory alone sends nothing');
  });

  it('resolves an exception class imported through a path alias, never one of a dependency', () => {
    const cls = `import { HTTPException } from 'hono/http-exception';\nexport class UnauthorizedException extends HTTPException { constructor(message = 'Unauthorized') { super(401, { message }); } }`;
    const use = (mod: string) => `import { UnauthorizedException } from '${mod}';\nexport const guard = async (c, next) => { if (!c.get('user')) throw new UnauthorizedException('inactive'); await next(); };`;
    const a = analyze(cls, 'src/errors.ts');
    const deps: PackageInfo = { root: '.', dependencies: new Set(['hono', 'nest-errors']) };
    for (const [mod, n] of [['@/errors', 1], ['../errors', 1], ['nest-errors', 0]] as const) {
      const b = analyze(use(mod), 'src/middlewares/guard.ts');
      assert.equal(findingsOf(b, {}, projectFactsOf([a, b], deps)).findings.length, n, mod);
    }
  });

  it('keeps the registrations of a file that says nothing about 401 (app.use of an error handler)', () => {
    const handler = `module.exports = function onError(err, req, res, next) {\n  if (err.status === 401) res.set('WWW-Authenticate', 'Bearer realm="api"');\n  res.status(err.status || 500).json({ message: err.message });\n};`;
    const app = `const express = require('express');\nconst onError = require('./handler');\nconst routes = require('./routes');\nconst app = express();\napp.use(routes);\napp.use(onError);\nmodule.exports = app;`;
    const routes = `const { Router } = require('express');\nconst createError = require('http-errors');\nconst r = Router();\nr.get('/me', (req, res, next) => { if (!req.user) return next(createError(401)); res.json(req.user); });\nmodule.exports = r;`;
    const files = [analyze(handler, 'handler.js'), analyze(app, 'app.js'), analyze(routes, 'routes.js')];
    assert.ok('facts' in files[1]!, 'the file registering the handler is analysed');
    assert.deepEqual(findingsOf(files[2]!, {}, projectFactsOf(files)).findings, []);
    assert.equal(findingsOf(files[2]!, {}, projectFactsOf([files[0]!, files[2]!])).findings.length, 1, 'without the registration the 401 has no challenge');
  });

  it('reads the status from an options object given to a class of another file', () => {
    const base = `class BaseError extends Error { constructor({ message, status }) { super(message); this.status = status; } }\nmodule.exports = BaseError;`;
    const api = `const BaseError = require('./base');\nclass ApiError extends BaseError { constructor({ message, status = 500 }) { super({ message, status }); } }\nmodule.exports = ApiError;`;
    const use = `const ApiError = require('../errors/api');\nexports.me = (req, res, next) => { if (!req.user) return next(new ApiError({ message: 'login', status: 401 })); next(new ApiError({ message: 'x', status: 400 })); };`;
    const files = [analyze(base, 'errors/base.js'), analyze(api, 'errors/api.js'), analyze(use, 'routes/me.js')];
    const f = findingsOf(files[2]!, {}, projectFactsOf(files)).findings;
    assert.deepEqual(f.map((x) => `${x.ruleId}@${use.slice(x.range[0], x.range[1])}`), ['missing-www-authenticate@401']);
  });
});

describe('recall: challenges built away from the header write', () => {
  it('checks a challenge template returned by a generator', () => {
    const code = 'class Digest { generateHeader(nonce) { return `Digest realm="${this.realm}", qop="auth", nonce="${nonce}", algorithm="${this.alg}"`; } }';
    assert.deepEqual(ids(code, 'a.js').map((x) => x.split('@')[0]), ['malformed-www-authenticate']);
  });

  it('does not blame a challenge that is built up with +=', () => {
    const code = `Strategy.prototype._challenge = function () { var challenge = 'Digest realm="' + this._realm + '"'; challenge += ', nonce="' + nonce() + '", qop="auth"'; return challenge; };`;
    assert.deepEqual(ids(code, 'a.js'), []);
  });

  it('flags a URL sent unquoted in resource_metadata', () => {
    const code = "app.get('/mcp', (req, res) => res.status(401).set({ 'WWW-Authenticate': `Bearer resource_metadata=${prmUrl}` }).end());";
    assert.deepEqual(ids(code, 'a.js'), ["malformed-www-authenticate@`Bearer resource_metadata=${prmUrl}`"]);
  });

  it('ignores challenge-shaped strings in comparisons and parsers', () => {
    assert.deepEqual(ids(`if (h === 'Basic charset="UTF-8"') x(); parseChallenges('Bearer realm="a",,');`, 'a.js'), []);
  });
});

describe('precision: relays and configuration switches', () => {
  it('does not ask a relay of an upstream 401 for a challenge', () => {
    const code = `const { ProviderAuthError } = require('./e');\nclass ProviderAuthError2 extends Error { constructor() { super('x'); this.status = 401; } }\nasync function f() { try { await up(); } catch (err) { if (err.status === 401) throw new ProviderAuthError2(); throw err; } }`;
    assert.deepEqual(ids(code, 'a.js'), []);
  });

  it('looks past a configuration switch to the credential test above it', () => {
    const code = `class G { async check(req, auth) { if (auth) { return ok(); } else if (this.enforceSecurityChecks) { throw new HandlerError(403, 'Authorization header is not set'); } } }`;
    assert.deepEqual(ids(code, 'a.js'), ['403-for-missing-credentials@403']);
  });

  it('treats a database lookup result as a resource, not the caller', () => {
    const code = `app.get('/users/:id', async (req, res) => { let user = await db.findOne({ id: req.params.id }); if (!user) return res.status(403).json({}); });`;
    assert.deepEqual(ids(code, 'a.js'), []);
  });

  it('treats an ownership predicate as a permission, not as credentials', () => {
    const code = `app.post('/r', (req, res, next) => { const hasRightUserId = String(req.body.userId) === req.claims.sub; if (hasRightUserId) { next(); } else { res.status(403).jsonp('not yours'); } });`;
    assert.deepEqual(ids(code, 'a.js'), []);
  });
});

describe('recall: helpers across files', () => {
  it('flags calls to a status-parameter helper declared in another file of the project', () => {
    const utils = `function sendNon200Response(res, statusCode, body) { res.setStatusCode(statusCode); res.sendJSONResponse(body); }\nfunction sendWithMessage(res, message, statusCode) { sendNon200Response(res, statusCode, { message }); }\nexports.sendWithMessage = sendWithMessage;`;
    const api = `const utils_1 = require('./utils');\nasync function userInfo(options) { const h = options.req.getHeaderValue('authorization'); if (h === undefined) { (0, utils_1.sendWithMessage)(options.res, 'Missing Authorization', 401); return true; } }`;
    const a = analyze(utils, 'utils.js');
    const b = analyze(api, 'api/userInfo.js');
    const f = findingsOf(b, {}, projectFactsOf([a, b])).findings;
    assert.deepEqual(f.map((x) => `${x.ruleId}@${api.slice(x.range[0], x.range[1])}`), ['missing-www-authenticate@401']);
  });

  it('does not flag calls to a helper that sets the challenge itself', () => {
    const utils = `export function deny(res, status) { res.setHeader('WWW-Authenticate', 'Bearer realm="a"'); res.statusCode = status; res.end(); }`;
    const api = `import { deny } from './utils';\nexport function h(req, res) { if (!req.headers.authorization) return deny(res, 401); }`;
    const a = analyze(utils, 'utils.ts');
    const b = analyze(api, 'api.ts');
    assert.deepEqual(findingsOf(b, {}, projectFactsOf([a, b])).findings, []);
  });
});

describe('auth middleware configurations', () => {
  it('flags express-basic-auth without challenge: true and fixes it', () => {
    const code = `const basicAuth = require('express-basic-auth');\napp.use(basicAuth({ users: { admin: 'x' } }));\napp.use('/b', basicAuth({ users: { admin: 'x' }, challenge: true, realm: 'b' }));`;
    const f = lintSource(code, 'a.js').findings;
    assert.deepEqual(f.map((x) => code.slice(x.range[0], x.range[1])), ['basicAuth']);
    assert.deepEqual(f[0]!.fixes[0]!.edits.map((e) => e.text), [`challenge: true, realm: 'api', `]);
  });

  it('flags @fastify/basic-auth without authenticate, koa-jwt and passport-jwt strategies', () => {
    const code = `const jwt = require('koa-jwt');\nconst { Strategy } = require('passport-jwt');\nfastify.register(require('@fastify/basic-auth'), { validate });\nfastify.register(require('@fastify/basic-auth'), { validate, authenticate: { realm: 'x' } });\nkoa.use(jwt({ secret }));\npassport.use(new Strategy(opts, verify));`;
    assert.equal(lintSource(code, 'a.js').findings.length, 3);
  });

  it('counts a Koa challenge injector for koa-jwt', () => {
    const code = `const jwt = require('koa-jwt');\napp.use(async (ctx, next) => { try { await next(); } catch (err) { if (err.status === 401) { ctx.status = 401; ctx.set('WWW-Authenticate', 'Bearer realm="a"'); } else throw err; } });\napp.use(jwt({ secret }));`;
    assert.deepEqual(lintSource(code, 'a.js').findings, []);
  });
});

describe('plain objects handed to the error pipeline', () => {
  it('flags throw { status: 401 } and next({ statusCode: 401 }), and offers headers', () => {
    const code = `app.use((req, res, next) => { if (!req.session.user) return next({ status: 401, message: 'login' }); next(); });\nfunction check(u) { if (!u) throw { statusCode: 401, message: 'no' }; }`;
    const f = lintSource(code, 'a.js').findings;
    assert.equal(f.length, 2);
    assert.equal(f[0]!.fixes[0]!.edits[0]!.text, `headers: { 'WWW-Authenticate': 'Bearer realm="api"' }, `);
  });

  it('accepts one that carries the challenge', () => {
    assert.deepEqual(lintSource(`function check(u) { if (!u) throw { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="a"' } }; }`, 'a.js').findings, []);
  });
});

describe('header tuples and decoded tokens', () => {
  it('checks a [header, value] pair whose name is a challenge header', () => {
    const code = `function headers(proxyMode, useUtf8) { const name = proxyMode ? 'Proxy-Authenticate' : 'WWW-Authenticate'; return useUtf8 ? () => [name, 'Basic charset="UTF-8"'] : () => [name, 'Basic']; }`;
    assert.deepEqual(ids(code, 'a.js').map((x) => x.split('@')[1]), [`'Basic charset="UTF-8"'`, `'Basic'`]);
  });

  it('treats a missing part of a decoded token as invalid credentials', () => {
    const code = `const check = async (auth) => { const decoded = jwt.decode(auth, { complete: true }); if (!decoded.header.kid) { throw new HandlerError(403, 'JWT without kid'); } };`;
    assert.deepEqual(ids(code, 'a.js'), ['403-for-missing-credentials@403']);
  });
});

describe('lookups keyed by the token and access predicates', () => {
  it('treats nothing found for the token’s claims as invalid credentials', () => {
    const code = `app.use(async (req, res, next) => { const decoded = jwt.verify(token, key); const user = await User.findById(decoded.id); if (!user) return res.status(403).json({}); next(); });`;
    assert.deepEqual(ids(code, 'a.js'), ['403-for-missing-credentials@403']);
  });

  it('reads canAccess/hasAccess as a permission test', () => {
    const code = `const { UnauthorizedError } = require('./errors');\nasync function admin(req, fn) { const canAccess = await fn({ req }); if (!canAccess) { throw new HttpError(401, 'no'); } }`;
    assert.deepEqual(ids(code, 'a.js').sort(), ['401-for-insufficient-permission@401', 'missing-www-authenticate@401']);
  });
});
