// The runner against real auth middleware from npm, each on 127.0.0.1 port 0: what they answer
// is sent, recorded and explained; a correct request to each yields no error diagnosis.

import * as assert from 'node:assert/strict';
import type { Server } from 'node:http';
import basicAuth from 'express-basic-auth';
import express from 'express';
import { expressjwt } from 'express-jwt';
import jsonwebtoken from 'jsonwebtoken';
import Fastify from 'fastify';
import bearerAuth from '@fastify/bearer-auth';
import { Hono } from 'hono';
import { jwt as honoJwt, sign as honoSign } from 'hono/jwt';
import { serve } from '@hono/node-server';
import * as Hapi from '@hapi/hapi';
import hapiBasic from '@hapi/basic';
import passport from 'passport';
import { DigestStrategy } from 'passport-http';
import { close } from './runner-support';
import { clean, includes, sendAndExplain } from './live-support';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const now = (): number => Math.floor(Date.now() / 1000);

describe('frameworks: real auth middleware, sent to and explained', () => {
  describe('Express with express-jwt and express-basic-auth (challenge: true)', () => {
    let server: Server;
    let base: string;
    const SECRET = 'express-secret';
    before(async () => {
      const app = express();
      // The usual hand-written error handler: 401 without a challenge.
      app.get('/plain', expressjwt({ secret: SECRET, algorithms: ['HS256'] }), (_req, res) => res.json({ ok: true }));
      // Done right: the challenge names invalid_token.
      app.get('/api', expressjwt({ secret: SECRET, algorithms: ['HS256'] }), (_req, res) => res.json({ ok: true }));
      app.use('/basic', basicAuth({ users: { admin: 'p@ss word' }, challenge: true, realm: 'Express' }), (_req, res) => res.json({ ok: true }));
      app.use('/roles', basicAuth({ users: { viewer: 'v' }, challenge: true, realm: 'Express' }), (_req, res) => res.status(403).json({ error: 'admins only' }));
      app.use((err: { status?: number; code?: string }, req: express.Request, res: express.Response, _next: express.NextFunction) => {
        if (req.path === '/api') res.set('WWW-Authenticate', `Bearer realm="api"${err.code === 'credentials_required' ? '' : ', error="invalid_token"'}`);
        res.status(err.status ?? 500).json({ error: err.code });
      });
      server = app.listen(0, '127.0.0.1');
      await new Promise((r) => server.once('listening', r));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => close(server));

    it('no token to express-jwt with a plain error handler: no-credentials, challenge-missing', async () => {
      const r = await sendAndExplain(`GET ${base}/plain`);
      assert.equal(r.exchange.response.status, 401);
      includes(r, 'no-credentials', 'challenge-missing');
    });

    it('an expired JWT: token-expired and invalid-token', async () => {
      const token = jsonwebtoken.sign({ sub: 'a', exp: now() - 3600 }, SECRET);
      const r = await sendAndExplain(`GET ${base}/api\nAuthorization: Bearer ${token}`);
      includes(r, 'token-expired', 'invalid-token');
    });

    it('a valid JWT: clean', async () => {
      clean(await sendAndExplain(`GET ${base}/api\nAuthorization: Bearer ${jsonwebtoken.sign({ sub: 'a' }, SECRET, { expiresIn: 600 })}`));
    });

    it('a well-formed wrong Basic credential: credentials-rejected', async () => {
      const r = await sendAndExplain(`GET ${base}/basic\nAuthorization: Basic admin:wrong`);
      includes(r, 'credentials-rejected');
      assert.ok(!r.codes.includes('challenge-missing'));
    });

    it('a Basic value without a colon: credentials-malformed', async () => {
      includes(await sendAndExplain(`GET ${base}/basic\nAuthorization: Basic ${b64('adminonly')}`), 'credentials-malformed');
    });

    it('the Basic shorthand with a space in the password: clean', async () => {
      clean(await sendAndExplain(`GET ${base}/basic\nAuthorization: Basic admin:p@ss word`));
    });

    it('valid Basic but the role is missing: forbidden', async () => {
      const r = await sendAndExplain(`GET ${base}/roles\nAuthorization: Basic viewer v`);
      assert.equal(r.exchange.response.status, 403);
      includes(r, 'forbidden');
    });
  });

  describe('Fastify with @fastify/bearer-auth', () => {
    const app = Fastify();
    let base: string;
    before(async () => {
      await app.register(bearerAuth, { keys: new Set(['good-key']) });
      app.get('/', async () => ({ ok: true }));
      base = await app.listen({ port: 0, host: '127.0.0.1' });
    });
    after(() => app.close());

    it('no key: no-credentials and challenge-missing (the plugin sends no WWW-Authenticate)', async () => {
      const r = await sendAndExplain(`GET ${base}/`);
      includes(r, 'no-credentials', 'challenge-missing');
    });

    it('a wrong key: challenge-missing', async () => {
      includes(await sendAndExplain(`GET ${base}/\nAuthorization: Bearer nope`), 'challenge-missing');
    });

    it('the right key: clean', async () => {
      clean(await sendAndExplain(`GET ${base}/\nAuthorization: Bearer good-key`));
    });
  });

  describe('Hono jwt middleware on @hono/node-server', () => {
    let server: Server;
    let base: string;
    const SECRET = 'hono-secret';
    before(async () => {
      const app = new Hono();
      app.use('/api/*', honoJwt({ secret: SECRET, alg: 'HS256' }));
      app.get('/api/me', (c) => c.json({ ok: true }));
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
      await new Promise((r) => server.once('listening', r));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    after(() => close(server));

    it('no token: invalid-request from the Bearer challenge', async () => {
      includes(await sendAndExplain(`GET ${base}/api/me`), 'invalid-request', 'no-credentials');
    });

    it('Basic credentials to a Bearer-only API: scheme-mismatch', async () => {
      includes(await sendAndExplain(`GET ${base}/api/me\nAuthorization: Basic user:pass`), 'scheme-mismatch');
    });

    it('a token not valid before an hour from now: token-not-yet-valid', async () => {
      const t = await honoSign({ sub: 'a', nbf: now() + 3600 }, SECRET, 'HS256');
      includes(await sendAndExplain(`GET ${base}/api/me\nAuthorization: Bearer ${t}`), 'token-not-yet-valid', 'invalid-token');
    });

    it('a valid token: clean', async () => {
      clean(await sendAndExplain(`GET ${base}/api/me\nAuthorization: Bearer ${await honoSign({ sub: 'a', exp: now() + 600 }, SECRET, 'HS256')}`));
    });
  });

  describe('hapi with @hapi/basic', () => {
    const server = Hapi.server({ port: 0, host: '127.0.0.1' });
    let base: string;
    before(async () => {
      await server.register(hapiBasic);
      server.auth.strategy('simple', 'basic', { validate: async (_r: unknown, u: string, p: string) => ({ isValid: u === 'john' && p === 'secret', credentials: { u } }) });
      server.route({ method: 'GET', path: '/', options: { auth: 'simple' }, handler: () => 'ok' });
      await server.start();
      base = server.info.uri.replace('localhost', '127.0.0.1');
    });
    after(() => server.stop({ timeout: 100 }));

    it('no credentials: the challenge is `Basic` without realm, challenge-malformed', async () => {
      includes(await sendAndExplain(`GET ${base}/`), 'no-credentials', 'challenge-malformed');
    });

    it('the right user: clean', async () => {
      clean(await sendAndExplain(`GET ${base}/\nAuthorization: Basic john:secret`));
    });
  });

  describe('passport-http DigestStrategy (Digest answered automatically)', () => {
    let server: Server;
    let base: string;
    const seen: Array<string | undefined> = [];
    before(async () => {
      const app = express();
      passport.use(new DigestStrategy({ qop: 'auth', realm: 'Users' }, (user: string, done: (e: unknown, u?: unknown, p?: string) => void) => (user === 'bob' ? done(null, { name: 'bob' }, 'b0b secret') : done(null, false)), (_p: unknown, done: (e: unknown, ok: boolean) => void) => done(null, true)));
      app.use(passport.initialize());
      app.use((req, _res, next) => {
        seen.push(req.headers.authorization);
        next();
      });
      app.get('/private', passport.authenticate('digest', { session: false }), (req, res) => res.json({ user: (req.user as { name: string }).name }));
      server = app.listen(0, '127.0.0.1');
      base = await new Promise<string>((r) => server.once('listening', () => r(`http://127.0.0.1:${(server.address() as { port: number }).port}`)));
    });
    after(() => close(server));
    beforeEach(() => {
      seen.length = 0;
    });

    it('retries with the computed Digest response after the 401, and succeeds', async () => {
      const r = await sendAndExplain(`GET ${base}/private?x=1\nAuthorization: Digest bob b0b secret`);
      clean(r);
      assert.equal(r.exchange.response.body, '{"user":"bob"}');
      assert.equal(seen.length, 2);
      assert.equal(seen[0], undefined);
      assert.match(seen[1]!, /^Digest username="bob", realm="Users", nonce="[^"]+", uri="\/private\?x=1", algorithm=MD5, response="[0-9a-f]{32}", qop=auth, nc=00000001, cnonce="[0-9a-f]+"/);
    });

    it('a wrong password: still 401 after one retry, credentials-rejected', async () => {
      const r = await sendAndExplain(`GET ${base}/private\nAuthorization: Digest bob wrong`);
      assert.equal(r.exchange.response.status, 401);
      assert.equal(seen.length, 2);
      includes(r, 'credentials-rejected');
    });
  });
});
