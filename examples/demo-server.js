// A small API with the classic authentication mistakes, and two endpoints done right.
// Plain Node, no dependencies. Listens on 127.0.0.1, port from argv[2] or env PORT (0 = any free
// port); prints `listening on http://127.0.0.1:<port>` once ready.
// Send the requests in requests.http against it to see what AuthLint explains.

'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const SECRET = 'demo-secret-not-for-production';
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function signJwt(claims) {
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = crypto.createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

function verifyJwt(token) {
  const [head, body, sig] = String(token).split('.');
  if (!head || !body || !sig) return { error: 'malformed' };
  const good = crypto.createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
  if (good.length !== sig.length || !crypto.timingSafeEqual(Buffer.from(good), Buffer.from(sig))) return { error: 'bad signature' };
  const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) return { error: 'expired', claims };
  return { claims };
}

function bearer(req) {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization || '');
  return m ? m[1] : undefined;
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const routes = {
  // Mistake: 401 without a WWW-Authenticate challenge.
  'GET /api/no-challenge': (req, res) => json(res, 401, { error: 'login required' }),

  // Mistake: 403 when the token is simply missing (that is a 401 with a challenge).
  'GET /api/needs-token': (req, res) => {
    if (!bearer(req)) return json(res, 403, { error: 'forbidden' });
    return json(res, 200, { ok: true });
  },

  // Done right: Bearer with RFC 6750 error codes; an expired token gets invalid_token.
  'GET /api/profile': (req, res) => {
    const token = bearer(req);
    if (!token) return json(res, 401, { error: 'no token' }, { 'WWW-Authenticate': 'Bearer realm="demo"' });
    const v = verifyJwt(token);
    if (v.error) {
      const description = v.error === 'expired' ? 'The access token expired' : 'The access token is invalid';
      return json(res, 401, { error: v.error }, { 'WWW-Authenticate': `Bearer realm="demo", error="invalid_token", error_description="${description}"` });
    }
    return json(res, 200, { user: v.claims.sub, scope: v.claims.scope });
  },

  // Done right, but the scope is missing: 403 insufficient_scope naming the scope needed.
  'GET /api/admin': (req, res) => {
    const v = verifyJwt(bearer(req) || '');
    if (v.error) return json(res, 401, { error: 'no valid token' }, { 'WWW-Authenticate': 'Bearer realm="demo", error="invalid_token"' });
    if (!String(v.claims.scope || '').split(' ').includes('admin')) {
      return json(res, 403, { error: 'insufficient_scope' }, { 'WWW-Authenticate': 'Bearer realm="demo", error="insufficient_scope", scope="admin"' });
    }
    return json(res, 200, { admin: true });
  },

  // A Basic endpoint that rejects every credential: a well-formed Basic value still gets 401.
  'GET /api/basic': (req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('admin:correct horse').toString('base64')}`;
    if (!ok) return json(res, 401, { error: 'bad credentials' }, { 'WWW-Authenticate': 'Basic realm="demo", charset="UTF-8"' });
    return json(res, 200, { ok: true });
  },

  // Mistake for an API: redirect to a login page instead of answering 401.
  'GET /api/reports': (req, res) => {
    res.writeHead(302, { Location: '/login?next=%2Fapi%2Freports' });
    res.end();
  },
  'GET /login': (req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>Log in</title><form method="post"><input name="user"></form>');
  },

  // An OAuth 2.0 token endpoint (client credentials only) for examples/oauth/: client
  // "demo-client", secret "demo-secret", by Basic or in the body; scopes "read" and "admin".
  'POST /oauth/token': async (req, res) => {
    const form = new URLSearchParams(await readBody(req));
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization || '');
    if (basic) [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':').map(decodeURIComponent);
    if (id !== 'demo-client' || secret !== 'demo-secret') {
      return json(res, 401, { error: 'invalid_client', error_description: 'unknown client or wrong secret' }, { 'WWW-Authenticate': 'Basic realm="demo-oauth"' });
    }
    if (form.get('grant_type') !== 'client_credentials') return json(res, 400, { error: 'unsupported_grant_type' });
    const scope = form.get('scope') || 'read';
    if (!scope.split(' ').every((s) => s === 'read' || s === 'admin')) return json(res, 400, { error: 'invalid_scope', error_description: `unknown scope in "${scope}"` });
    const now = Math.floor(Date.now() / 1000);
    return json(res, 200, { access_token: signJwt({ sub: id, scope, iat: now, exp: now + 600 }), token_type: 'Bearer', expires_in: 600, scope }, { 'Cache-Control': 'no-store' });
  },

  // Issues tokens for the other requests: {"token": "..."} (one hour, scope "read").
  'POST /login': async (req, res) => {
    const body = await readBody(req);
    let user = 'demo';
    try {
      user = JSON.parse(body).user || user;
    } catch {
      // not JSON: keep the default user
    }
    const now = Math.floor(Date.now() / 1000);
    return json(res, 200, { token: signJwt({ sub: user, scope: 'read', iat: now, exp: now + 3600 }) });
  },
};

function createServer() {
  return http.createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const handler = routes[`${req.method} ${path}`];
    if (!handler) return json(res, 404, { error: 'not found' });
    return Promise.resolve(handler(req, res)).catch((e) => json(res, 500, { error: String(e) }));
  });
}

module.exports = { createServer, signJwt };

if (require.main === module) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 3000);
  const server = createServer();
  server.listen(port, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}
