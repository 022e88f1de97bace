// Getting a token for `{{$auth.token("id")}}`: the configuration, the cache (per environment
// and id, for the token's lifetime), refresh when expired, and the grants.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { findUp } from '../environments';
import { Substituter, type Environment } from '../variables';
import { SECRET_FIELDS, SUBSTITUTED, checkUrl, collectAuthEntries, readAuthConfig, type AuthConfig, type ConfigProblem, type EnvFileText } from './config';
import { authorizationCodeGrant, deviceGrant, type GrantOutcome, type Interaction } from './flows';
import { tokenRequest, type EndpointOptions, type TokenFailure, type TokenSet } from './token';
import type { SendOptions } from '../send';

export type { AuthConfig, ConfigProblem } from './config';
export type { TokenFailure, TokenSet } from './token';
export type { Interaction } from './flows';

/** Where tokens live between requests: memory in the CLI, SecretStorage in the editor. */
export interface TokenStore {
  get(key: string): Promise<TokenSet | undefined> | TokenSet | undefined;
  set(key: string, tokens: TokenSet): Promise<void> | void;
  delete(key: string): Promise<void> | void;
}

export class MemoryTokenStore implements TokenStore {
  private readonly map = new Map<string, TokenSet>();
  get(key: string): TokenSet | undefined {
    return this.map.get(key);
  }
  set(key: string, tokens: TokenSet): void {
    this.map.set(key, tokens);
  }
  delete(key: string): void {
    this.map.delete(key);
  }
}

/** Tokens expiring within this are treated as expired (clock skew, time in flight). */
export const EXPIRY_MARGIN_MS = 30_000;

/** The env files' text for `Security.Auth`, searched from `dir` upward like the variables. */
export function loadAuthFiles(dir: string): EnvFileText[] {
  const out: EnvFileText[] = [];
  for (const name of ['http-client.env.json', 'http-client.private.env.json']) {
    const path = findUp(dir, name);
    if (!path || !existsSync(path)) continue;
    const text = readFileSync(path, 'utf8');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      continue; // loadEnvironmentSources reports unreadable JSON first.
    }
    out.push({ path, text, data });
  }
  return out;
}

export type ResolveResult = { ok: true; config: AuthConfig; secrets: string[] } | { ok: false; problems: ConfigProblem[] };

/** The configuration of one id, validated, with its {{variables}} substituted. */
export function resolveAuthConfig(files: EnvFileText[], environment: Environment, id: string, extra: { dotenv?: Record<string, string>; processEnv?: Record<string, string | undefined> } = {}): ResolveResult {
  const { entries, problems } = collectAuthEntries(files, environment.name);
  const layers = entries.get(id);
  if (!layers) {
    const known = [...entries.keys()];
    const where = files.length ? files.map((f) => f.path).join(' and ') : 'no http-client.env.json found';
    const first = files[0];
    return {
      ok: false,
      problems: problems.length
        ? problems
        : [{ file: first?.path ?? 'http-client.env.json', line: 1, message: `no Security.Auth."${id}" in environment ${environment.name ? `"${environment.name}"` : '(none selected: pick one with --env)'} (${known.length ? `defined: ${known.join(', ')}` : `none defined; looked in ${where}`})` }],
    };
  }
  const cfg = readAuthConfig(id, layers);
  if (Array.isArray(cfg)) return { ok: false, problems: cfg };
  const sub = new Substituter({ fileVariables: new Map(), environment, ...(extra.dotenv ? { dotenv: extra.dotenv } : {}), ...(extra.processEnv ? { processEnv: extra.processEnv } : {}) });
  const out: AuthConfig = { ...cfg, customParams: { ...cfg.customParams } };
  const bad: ConfigProblem[] = [];
  for (const k of SUBSTITUTED) {
    const v = out[k];
    if (typeof v !== 'string') continue;
    const before = sub.problems.length;
    (out as unknown as Record<string, unknown>)[k] = sub.substitute(v, cfg.line);
    for (const p of sub.problems.slice(before)) bad.push({ file: cfg.file, line: cfg.line, message: `Security.Auth."${id}": ${p.message}` });
  }
  for (const [k, v] of Object.entries(out.customParams)) out.customParams[k] = sub.substitute(v, cfg.line);
  for (const [field, label] of [['tokenUrl', 'Token URL'], ['authUrl', 'Auth URL'], ['deviceAuthUrl', 'Device Auth URL']] as const) {
    const v = out[field];
    if (v !== undefined && bad.length === 0) {
      const p = checkUrl(label, v);
      if (p) bad.push({ file: cfg.file, line: cfg.line, message: `Security.Auth."${id}": ${p}` });
    }
  }
  if (bad.length) return { ok: false, problems: bad };
  const secrets = [...sub.secretValues];
  for (const k of SECRET_FIELDS) {
    const v = out[k];
    if (typeof v === 'string' && v !== '') secrets.push(v);
  }
  return { ok: true, config: out, secrets };
}

/** Cache key: environment + id + what makes a token different (a changed setting means a new token). */
export function cacheKey(environment: string | undefined, cfg: AuthConfig): string {
  const h = createHash('sha256').update(JSON.stringify([cfg.grant, cfg.tokenUrl, cfg.clientId, cfg.scope, cfg.audience, cfg.resource, cfg.username, cfg.authUrl])).digest('hex').slice(0, 16);
  return `authlint.oauth/${environment ?? ''}/${cfg.id}/${h}`;
}

export interface TokenContext {
  environment?: string;
  store: TokenStore;
  send: SendOptions;
  interaction?: Interaction;
  /** Receives every secret value met (tokens, codes, verifiers), to hide in output. */
  secrets: Set<string>;
  now?: () => number;
}

export type TokenOutcome =
  | { ok: true; tokens: TokenSet; source: 'cache' | 'new' | 'refreshed'; notes: string[]; key: string }
  | { ok: false; failure: TokenFailure; notes: string[] };

function runGrant(cfg: AuthConfig, ctx: TokenContext, eo: EndpointOptions): Promise<GrantOutcome> {
  const env = ctx.environment;
  switch (cfg.grant) {
    case 'client_credentials':
      return tokenRequest(cfg, env, 'token', { grant_type: 'client_credentials', scope: cfg.scope, audience: cfg.audience, resource: cfg.resource }, eo, ctx.now);
    case 'password':
      return tokenRequest(cfg, env, 'token', { grant_type: 'password', username: cfg.username, password: cfg.password, scope: cfg.scope, audience: cfg.audience, resource: cfg.resource }, eo, ctx.now);
    case 'refresh_token':
      return tokenRequest(cfg, env, 'refresh', { grant_type: 'refresh_token', refresh_token: cfg.refreshToken, scope: cfg.scope, resource: cfg.resource }, eo, ctx.now);
    case 'authorization_code':
      return authorizationCodeGrant(cfg, env, eo, ctx.interaction ?? {});
    case 'device_code':
      return deviceGrant(cfg, env, eo, ctx.interaction ?? {});
  }
}

/**
 * A token for `cfg`: from the cache while it lives, refreshed with its refresh token when it
 * has expired (or `force` says the server refused it), else a new one from the grant.
 */
export async function obtainToken(cfg: AuthConfig, ctx: TokenContext, force = false): Promise<TokenOutcome> {
  const now = ctx.now ?? Date.now;
  const key = cacheKey(ctx.environment, cfg);
  const eo: EndpointOptions = { send: ctx.send, secrets: ctx.secrets };
  const notes: string[] = [];
  const cached = await ctx.store.get(key);
  if (cached) for (const s of [cached.accessToken, cached.idToken, cached.refreshToken]) if (s) ctx.secrets.add(s);
  const live = cached && (cached.expiresAt === undefined || cached.expiresAt - EXPIRY_MARGIN_MS > now());
  if (cached && live && !force) return { ok: true, tokens: cached, source: 'cache', notes, key };
  if (cached?.refreshToken) {
    const why = force ? 'the resource refused the cached token' : 'the cached token has expired';
    const r = await tokenRequest(cfg, ctx.environment, 'refresh', { grant_type: 'refresh_token', refresh_token: cached.refreshToken, scope: cfg.scope, resource: cfg.resource }, eo, ctx.now);
    if (r.ok) {
      const tokens = { ...r.tokens, ...(r.tokens.refreshToken ? {} : { refreshToken: cached.refreshToken }) };
      await ctx.store.set(key, tokens);
      notes.push(`Security.Auth."${cfg.id}": ${why}; refreshed it with the refresh token.`);
      return { ok: true, tokens, source: 'refreshed', notes, key };
    }
    await ctx.store.delete(key);
    if (!r.failure.answered || cfg.grant === 'refresh_token') return { ok: false, failure: r.failure, notes };
    notes.push(`Security.Auth."${cfg.id}": ${why}, and refreshing it failed (${r.failure.oauth?.error ?? r.failure.kind}); getting a new token with the ${cfg.grant} grant.`);
  } else if (cached) {
    await ctx.store.delete(key);
  }
  const g = await runGrant(cfg, ctx, eo);
  if (!g.ok) return { ok: false, failure: g.failure, notes };
  await ctx.store.set(key, g.tokens);
  return { ok: true, tokens: g.tokens, source: 'new', notes, key };
}
