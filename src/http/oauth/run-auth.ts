// `{{$auth.token("id")}}` inside one run: the substituter asks for tokens synchronously, so a
// first build records which ids it needs, the tokens are fetched, and the request is built
// again (the same two passes as named requests). Used by run.ts only.

import type { Environment, VariableProblemKind } from '../variables';
import type { AuthUse } from '../types';
import type { SendOptions } from '../send';
import { loadAuthFiles, MemoryTokenStore, obtainToken, resolveAuthConfig, type AuthConfig, type Interaction, type TokenFailure, type TokenStore } from './index';
import type { EnvFileText } from './config';

export interface AuthRunOptions {
  tokenStore?: TokenStore;
  interaction?: Interaction;
}

export interface EnvDiagnosis {
  file: string;
  line: number;
  severity: 'error';
  message: string;
}

export type AcquireResult = { ok: true; notes: string[] } | { ok: false; invalid: EnvDiagnosis[] } | { ok: false; failure: TokenFailure; notes: string[] };

interface Held {
  access: string;
  id?: string;
  source: 'cache' | 'new' | 'refreshed';
  config: AuthConfig;
  grantedScope?: string;
}

/** A store shared by every run of this process (the CLI runs once; tests run many). */
const processStore = new MemoryTokenStore();

export class RunAuth {
  private readonly held = new Map<string, Held>();
  /** Ids the last build asked for and did not have. */
  readonly needed = new Set<string>();
  /** Ids referenced since the last clear (the request being built). */
  readonly used = new Set<string>();
  private files: EnvFileText[] | undefined;
  private readonly store: TokenStore;

  constructor(
    private readonly baseDir: string,
    private readonly environment: Environment,
    private readonly secrets: Set<string>,
    private readonly options: AuthRunOptions,
    private readonly extra: { dotenv?: Record<string, string> } = {},
  ) {
    this.store = options.tokenStore ?? processStore;
  }

  /** For VariableSources.auth. */
  readonly lookup = (kind: 'token' | 'idToken', id: string): { value: string } | { problem: VariableProblemKind; message: string } => {
    this.used.add(id);
    const h = this.held.get(id);
    if (!h) {
      this.needed.add(id);
      return { problem: 'unresolved', message: `no token for Security.Auth."${id}" yet` };
    }
    const useId = kind === 'idToken' || h.config.useIdToken;
    if (useId) {
      if (h.id) return { value: h.id };
      return { problem: 'unresolved', message: `the token response for Security.Auth."${id}" has no id_token (ask for the "openid" scope in "Scope")` };
    }
    return { value: h.access };
  };

  /** Fetches the tokens of `ids` (all needed ones by default). `force`: the server refused the cached ones. */
  async acquire(send: SendOptions, ids: string[] = [...this.needed], force = false): Promise<AcquireResult> {
    this.files ??= loadAuthFiles(this.baseDir);
    const notes: string[] = [];
    for (const id of ids) {
      const r = resolveAuthConfig(this.files, this.environment, id, this.extra);
      if (!r.ok) return { ok: false, invalid: r.problems.map((p) => ({ file: p.file, line: p.line, severity: 'error', message: p.message })) };
      for (const s of r.secrets) this.secrets.add(s);
      const plain = [r.config.tokenUrl, r.config.authUrl, r.config.deviceAuthUrl].find((u) => u && isPlainRemote(u));
      if (plain) notes.push(`Security.Auth."${id}": ${plain.split('?')[0]} is plain http on a host other than this machine: the client secret and the tokens cross the network unencrypted (RFC 6749 §3.2 requires TLS).`);
      const out = await obtainToken(r.config, { ...(this.environment.name !== undefined ? { environment: this.environment.name } : {}), store: this.store, send, secrets: this.secrets, interaction: { ...this.options.interaction, ...(send.signal ? { signal: send.signal } : {}) } }, force);
      notes.push(...out.notes);
      if (!out.ok) return { ok: false, failure: out.failure, notes };
      const h: Held = { access: out.tokens.accessToken, source: out.source, config: r.config };
      if (out.tokens.idToken) h.id = out.tokens.idToken;
      if (out.tokens.scope !== undefined) h.grantedScope = out.tokens.scope;
      this.held.set(id, h);
      this.needed.delete(id);
    }
    return { ok: true, notes };
  }

  /** Ids whose token came from the cache (so a 401 invalid_token may mean it was revoked). */
  cachedIds(): string[] {
    return [...this.held.entries()].filter(([, h]) => h.source === 'cache').map(([id]) => id);
  }

  forget(id: string): void {
    this.held.delete(id);
  }

  /** What the exchange records about the tokens it used. */
  uses(ids: Iterable<string>, retried: Set<string> = new Set()): AuthUse[] {
    const out: AuthUse[] = [];
    for (const id of ids) {
      const h = this.held.get(id);
      if (!h) continue;
      const u: AuthUse = { id, file: h.config.file, line: h.config.line };
      if (this.environment.name !== undefined) u.environment = this.environment.name;
      if (h.config.scope !== undefined) u.scope = h.config.scope;
      if (h.grantedScope !== undefined) u.grantedScope = h.grantedScope;
      if (retried.has(id)) u.retried = true;
      out.push(u);
    }
    return out;
  }
}

/** An http: URL whose host is not a loopback address. */
function isPlainRemote(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname) && !u.hostname.endsWith('.localhost');
  } catch {
    return false;
  }
}
