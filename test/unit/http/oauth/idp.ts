// A real OpenID Provider (oidc-provider from npm) on 127.0.0.1 for the OAuth 2.0 tests, a
// resource server that validates its tokens, and a scripted "browser" that logs in and
// consents through the provider's own interaction pages.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { close } from '../runner-support';

export interface Idp {
  issuer: string;
  /** The resource server: GET /api/data needs scope api:read, /api/write needs api:write. */
  api: string;
  provider: any;
  stop(): Promise<void>;
  /** Revokes every access token the resource server has seen (it then answers invalid_token). */
  revokeSeen(): void;
  /** Every request the provider received (method + path), to show nothing else happened. */
  log: string[];
}

export const CLIENTS = {
  basic: { client_id: 'cc-basic', client_secret: 'cc-basic-secret', token_endpoint_auth_method: 'client_secret_basic', grant_types: ['client_credentials', 'password'], response_types: [], redirect_uris: [], scope: 'api:read api:write' },
  post: { client_id: 'cc-post', client_secret: 'cc-post-secret', token_endpoint_auth_method: 'client_secret_post', grant_types: ['client_credentials'], response_types: [], redirect_uris: [], scope: 'api:read' },
  app: { client_id: 'native-app', token_endpoint_auth_method: 'none', application_type: 'native', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], redirect_uris: ['http://127.0.0.1/callback'], scope: 'openid offline_access api:read' },
  device: { client_id: 'tv-app', token_endpoint_auth_method: 'none', grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'], response_types: [], redirect_uris: [], scope: 'openid offline_access api:read' },
};

const USERS: Record<string, string> = { alice: 'wonderland' };

export async function startIdp(opts: { refreshTtl?: number; accessTtl?: number } = {}): Promise<Idp> {
  // @ts-ignore: the package ships no type declarations
  const { default: Provider, errors } = (await import('oidc-provider')) as any;
  const log: string[] = [];
  const holder = createServer();
  await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
  const port = (holder.address() as AddressInfo).port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: Object.values(CLIENTS),
    scopes: ['openid', 'offline_access', 'api:read', 'api:write'],
    features: {
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      devInteractions: { enabled: true },
      revocation: { enabled: true },
    },
    pkce: { required: () => true },
    ttl: { AccessToken: opts.accessTtl ?? 600, ClientCredentials: opts.accessTtl ?? 600, RefreshToken: opts.refreshTtl ?? 3600, DeviceCode: 600, Interaction: 600, Session: 600, Grant: 600 },
    issueRefreshToken: async (_ctx: unknown, client: any) => client.grantTypeAllowed('refresh_token'),
    loadExistingGrant: async (ctx: any) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      return grantId ? provider.Grant.find(grantId) : undefined;
    },
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  });
  provider.proxy = false;
  // The resource owner password grant (oidc-provider leaves it out, as OAuth 2.1 does): a small
  // handler of our own that checks the user and issues a client-credentials style token.
  provider.registerGrantType('password', async (ctx: any) => {
    const { username, password, scope } = ctx.oidc.params;
    if (!username || USERS[username] !== password) throw new errors.InvalidGrant('invalid resource owner credentials');
    const token = new provider.ClientCredentials({ client: ctx.oidc.client, scope: scope || 'api:read' });
    const value = await token.save();
    ctx.body = { access_token: value, token_type: 'Bearer', expires_in: token.expiration, scope: token.scope };
  }, ['username', 'password', 'scope']);
  const handler = provider.callback();
  holder.on('request', (req: IncomingMessage, res: ServerResponse) => {
    log.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    handler(req, res);
  });

  const revoked = new Set<string>();
  const seen = new Set<string>();
  const api = createServer(async (req, res) => {
    // A single sign-on portal's login page: what a wrong "Token URL" often reaches.
    if (req.url === '/login') return void res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Sign in</title><form method=post><input name=user></form>');
    const m = /^Bearer ([^\s]+)$/.exec(req.headers.authorization ?? '');
    const deny = (status: number, params: string): void => {
      res.writeHead(status, { 'WWW-Authenticate': `Bearer realm="api"${params}`, 'Content-Type': 'application/json' }).end(JSON.stringify({ error: status }));
    };
    if (!m) return deny(401, '');
    const value = m[1]!;
    const token = revoked.has(value) ? undefined : (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
    if (!token || token.isExpired) return deny(401, ', error="invalid_token", error_description="unknown, expired or revoked token"');
    seen.add(value);
    const need = req.url === '/api/write' ? 'api:write' : 'api:read';
    const scopes = String(token.scope ?? '').split(' ');
    if (!scopes.includes(need)) return deny(403, `, error="insufficient_scope", scope="${need}"`);
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ ok: true, client: token.clientId }));
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', () => r()));
  return {
    issuer,
    api: `http://127.0.0.1:${(api.address() as AddressInfo).port}`,
    provider,
    log,
    revokeSeen: () => {
      for (const s of seen) revoked.add(s);
    },
    async stop() {
      await close(api);
      await close(holder);
    },
  };
}

/** A cookie-keeping "browser" that follows the provider's pages by plain HTTP requests. */
export class ScriptedBrowser {
  private cookies = new Map<string, string>();
  private header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  private keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, i).trim(), pair!.slice(i + 1));
    }
  }
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const res = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: { cookie: this.header(), ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    this.keep(res);
    return res;
  }
  /**
   * Follows redirects from `url`, logging in as `user` and consenting on the provider's
   * interaction pages, until a redirect leaves the provider (returned) or a page is final.
   */
  async loginAndConsent(url: string, issuer: string, user = 'alice'): Promise<{ location?: string; status: number; body: string }> {
    let next: { url: string; form?: Record<string, string> } = { url };
    for (let i = 0; i < 20; i++) {
      const res = await this.request(next.url, next.form ? { form: next.form } : {});
      const loc = res.headers.get('location');
      if (loc) {
        const abs = new URL(loc, next.url).toString();
        if (!abs.startsWith(issuer)) return { location: abs, status: res.status, body: '' };
        next = { url: abs };
        continue;
      }
      const body = await res.text();
      const m = /\/interaction\/([^/?"]+)/.exec(next.url);
      if (res.status === 200 && m && /name="prompt" value="login"|name="login"/.test(body)) {
        next = { url: `${issuer}/interaction/${m[1]}`, form: { prompt: 'login', login: user, password: 'x' } };
        continue;
      }
      if (res.status === 200 && m && /value="consent"|consent/.test(body)) {
        next = { url: `${issuer}/interaction/${m[1]}`, form: { prompt: 'consent' } };
        continue;
      }
      return { status: res.status, body };
    }
    throw new Error('too many steps');
  }
  /** RFC 8628: enters the user code on the provider's verification page, confirms, logs in and consents. */
  async approveDevice(verificationUri: string, userCode: string, issuer: string): Promise<string> {
    const page = await (await this.request(verificationUri)).text();
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const confirmPage = await (await this.request(verificationUri, { form: { xsrf, user_code: userCode } })).text();
    const x2 = /name="xsrf" value="([^"]+)"/.exec(confirmPage)?.[1] ?? '';
    const res = await this.request(verificationUri, { form: { xsrf: x2, user_code: userCode, confirm: 'yes' } });
    const loc = res.headers.get('location');
    if (!loc) return res.text();
    const done = await this.loginAndConsent(new URL(loc, verificationUri).toString(), issuer);
    if (done.location) return (await this.request(done.location)).text();
    return done.body;
  }
}
