// A real Express server on 127.0.0.1 (port 0) answering like an API that uses Bearer tokens.
import type { Server } from 'http';
import express from 'express';

export interface TestServer extends Server {
  /** Authorization values received, in order. */
  seen: string[];
  /** Requests received. */
  requests: number;
  /** `METHOD /path` of each request, in order. */
  paths: string[];
  /** X-Api-Key values received. */
  apiKeys: string[];
  stop(): Promise<void>;
}

export function startAuthServer(): Promise<TestServer> {
  const app = express();
  const seen: string[] = [];
  const hanging = new Set<import('http').ServerResponse>();
  let requests = 0;
  const paths: string[] = [];
  const apiKeys: string[] = [];
  app.use((req, _res, next) => {
    requests++;
    paths.push(`${req.method} ${req.path}`);
    const key = req.get('x-api-key');
    if (key) apiKeys.push(key);
    if (req.headers.authorization) seen.push(req.headers.authorization);
    next();
  });
  app.get('/me', (req, res) => {
    const auth = req.headers.authorization;
    if (!auth) {
      res.set('WWW-Authenticate', 'Bearer realm="api"').status(401).json({ error: 'login required' });
    } else if (auth === 'Bearer exp1red-t0ken') {
      res.set('WWW-Authenticate', 'Bearer realm="api", error="invalid_token", error_description="The access token expired"')
        .status(401).json({ error: 'invalid_token' });
    } else {
      res.json({ sub: 'demo' });
    }
  });
  app.post('/login', (_req, res) => {
    res.json({ token: 'exp1red-t0ken' });
  });
  app.get('/admin', (_req, res) => {
    res.set('WWW-Authenticate', 'Bearer realm="api", error="insufficient_scope", scope="admin"').status(403).json({ error: 'insufficient_scope' });
  });
  app.get('/hang', (_req, res) => {
    hanging.add(res); // never answered: the client's timeout must fire
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      const s = server as TestServer;
      s.seen = seen;
      s.paths = paths;
      s.apiKeys = apiKeys;
      Object.defineProperty(s, 'requests', { get: () => requests });
      s.stop = () => new Promise((done) => {
        for (const r of hanging) r.destroy();
        s.closeAllConnections();
        s.close(() => done());
      });
      resolve(s);
    });
  });
}
