// `Security.Auth.<id>` of http-client.env.json / http-client.private.env.json, with JetBrains'
// key names, read into one validated configuration per id. Pure: the caller passes the files'
// text. Values may use {{variables}}; they are substituted later, with the run's environment.
// Every problem names its file and line so the user can jump to it; nothing is sent then.

export type GrantType = 'client_credentials' | 'password' | 'authorization_code' | 'device_code' | 'refresh_token';
export type ClientAuthMethod = 'basic' | 'in body' | 'none';

export const SUPPORTED_TYPES = ['OAuth2'];
/** JetBrains' names first, then the RFC's; matched without regard to case. */
const GRANTS: Record<string, GrantType> = {
  'client credentials': 'client_credentials',
  client_credentials: 'client_credentials',
  password: 'password',
  'authorization code': 'authorization_code',
  authorization_code: 'authorization_code',
  'device authorization': 'device_code',
  device_code: 'device_code',
  'urn:ietf:params:oauth:grant-type:device_code': 'device_code',
  'refresh token': 'refresh_token',
  refresh_token: 'refresh_token',
};
export const SUPPORTED_GRANTS = ['Client Credentials', 'Password', 'Authorization Code', 'Device Authorization', 'Refresh Token'];
export const GRANT_LABEL: Record<GrantType, string> = {
  client_credentials: 'Client Credentials',
  password: 'Password',
  authorization_code: 'Authorization Code',
  device_code: 'Device Authorization',
  refresh_token: 'Refresh Token',
};
const CLIENT_AUTH: Record<string, ClientAuthMethod> = {
  basic: 'basic',
  client_secret_basic: 'basic',
  'in body': 'in body',
  client_secret_post: 'in body',
  none: 'none',
};

/** Keys JetBrains documents (or accepts) that AuthLint reads or knowingly ignores. */
const STRING_KEYS = ['Type', 'Grant Type', 'Token URL', 'Auth URL', 'Device Auth URL', 'Redirect URL', 'Client ID', 'Client Secret', 'Client Credentials', 'Scope', 'Audience', 'Resource', 'Username', 'Password', 'Refresh Token'] as const;
const IGNORED_KEYS = new Set(['Acquire Automatically', 'Use ID Token', 'Start Screen', 'Revoke URL', 'Custom Request Parameters', 'Use Custom HTTP Client', 'Token Revocation', 'Open Complete URL In Browser']);

export interface AuthConfig {
  id: string;
  /** Where it is defined (the file with the `Type` key, else the first). */
  file: string;
  line: number;
  grant: GrantType;
  tokenUrl: string;
  authUrl?: string;
  deviceAuthUrl?: string;
  redirectUrl?: string;
  clientId: string;
  clientSecret?: string;
  clientAuth: ClientAuthMethod;
  scope?: string;
  audience?: string;
  resource?: string;
  username?: string;
  password?: string;
  refreshToken?: string;
  /** Authorization code: PKCE method ('S256' unless the file says otherwise), or false. */
  pkce: 'S256' | 'plain' | false;
  codeVerifier?: string;
  /** `Use ID Token`: {{$auth.token}} gives the ID token. */
  useIdToken: boolean;
  /** `Custom Request Parameters` (string values only). */
  customParams: Record<string, string>;
}

export interface ConfigProblem {
  file: string;
  line: number;
  message: string;
}

export interface EnvFileText {
  path: string;
  text: string;
  /** Parsed contents (the caller has already parsed it; invalid JSON is reported earlier). */
  data: unknown;
}

/** 1-based line of the first `"a"` … `"b"` … key chain in the text, best effort. */
export function lineOfKeys(text: string, keys: string[]): number {
  let at = 0;
  let found = 0;
  for (const k of keys) {
    const i = text.indexOf(JSON.stringify(k), at);
    if (i < 0) break;
    at = i + 1;
    found = i;
  }
  let line = 1;
  for (let i = 0; i < found; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Layer {
  file: EnvFileText;
  envKey: string;
  entry: Record<string, unknown>;
}

/** The `Security.Auth` entries of one environment (`$shared` too), merged: private over public. */
export function collectAuthEntries(files: EnvFileText[], envName: string | undefined): { entries: Map<string, Layer[]>; problems: ConfigProblem[] } {
  const entries = new Map<string, Layer[]>();
  const problems: ConfigProblem[] = [];
  for (const file of files) {
    if (!isObject(file.data)) continue;
    for (const envKey of ['$shared', ...(envName ? [envName] : [])]) {
      const env = file.data[envKey];
      if (!isObject(env) || !('Security' in env)) continue;
      const sec = env['Security'];
      const at = (keys: string[]): number => lineOfKeys(file.text, [envKey, ...keys]);
      if (!isObject(sec)) {
        problems.push({ file: file.path, line: at(['Security']), message: `"Security" in environment "${envKey}" must be an object like { "Auth": { "<id>": { "Type": "OAuth2", … } } }` });
        continue;
      }
      if (!('Auth' in sec)) continue;
      const auth = sec['Auth'];
      if (!isObject(auth)) {
        problems.push({ file: file.path, line: at(['Security', 'Auth']), message: `"Security"."Auth" in environment "${envKey}" must be an object of named configurations` });
        continue;
      }
      for (const [id, entry] of Object.entries(auth)) {
        if (!isObject(entry)) {
          problems.push({ file: file.path, line: at(['Security', 'Auth', id]), message: `Security.Auth."${id}" must be an object of settings ("Type", "Grant Type", "Token URL", …), not ${Array.isArray(entry) ? 'an array' : typeof entry === 'string' ? 'a string' : String(entry)}` });
          continue;
        }
        const list = entries.get(id) ?? [];
        list.push({ file, envKey, entry });
        entries.set(id, list);
      }
    }
  }
  return { entries, problems };
}

/** Validates and merges the layers of one id. Values are raw (may hold {{variables}}). */
export function readAuthConfig(id: string, layers: Layer[]): AuthConfig | ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const merged: Record<string, { value: unknown; layer: Layer }> = {};
  for (const layer of layers) for (const [k, v] of Object.entries(layer.entry)) merged[k] = { value: v, layer };
  const home = (merged['Type'] ?? merged['Grant Type'])?.layer ?? layers[0]!;
  const where = (key?: string): { file: string; line: number } => {
    const layer = key && merged[key] ? merged[key]!.layer : home;
    return { file: layer.file.path, line: lineOfKeys(layer.file.text, [layer.envKey, 'Security', 'Auth', id, ...(key ? [key] : [])]) };
  };
  const problem = (key: string | undefined, message: string): void => {
    problems.push({ ...where(key), message: `Security.Auth."${id}": ${message}` });
  };
  const str = (key: string): string | undefined => {
    const m = merged[key];
    if (m === undefined || m.value === null) return undefined;
    if (typeof m.value === 'string') return m.value;
    if (typeof m.value === 'number') return String(m.value);
    problem(key, `"${key}" must be a string, not ${Array.isArray(m.value) ? 'an array' : typeof m.value}`);
    return undefined;
  };
  for (const k of Object.keys(merged)) {
    if (!(STRING_KEYS as readonly string[]).includes(k) && !IGNORED_KEYS.has(k) && k !== 'PKCE') {
      const near = [...STRING_KEYS, 'PKCE'].find((s) => s.toLowerCase().replace(/[\s_-]/g, '') === k.toLowerCase().replace(/[\s_-]/g, ''));
      if (near) problem(k, `unknown key "${k}": did you mean "${near}"? (JetBrains' key names are case- and space-sensitive)`);
    }
  }
  const type = str('Type');
  if (type === undefined) problem(undefined, `"Type" is missing (supported: ${SUPPORTED_TYPES.join(', ')})`);
  else if (type.toLowerCase() !== 'oauth2') problem('Type', `Type "${type}" is not supported (supported: ${SUPPORTED_TYPES.join(', ')})`);
  const grantRaw = str('Grant Type');
  const grant = grantRaw === undefined ? undefined : GRANTS[grantRaw.trim().toLowerCase()];
  if (grantRaw === undefined) problem(undefined, `"Grant Type" is missing (supported: ${SUPPORTED_GRANTS.join(', ')})`);
  else if (!grant) problem('Grant Type', `Grant Type "${grantRaw}" is not supported (supported: ${SUPPORTED_GRANTS.join(', ')})${/implicit/i.test(grantRaw) ? '; the implicit grant is deprecated by OAuth 2.0 Security BCP (RFC 9700 §2.1.2): use Authorization Code with PKCE' : ''}`);
  const tokenUrl = str('Token URL');
  if (!tokenUrl) problem(undefined, '"Token URL" is missing (the authorization server\'s token endpoint)');
  const clientId = str('Client ID');
  if (!clientId) problem(undefined, '"Client ID" is missing');
  const clientSecret = str('Client Secret');
  const credsRaw = str('Client Credentials');
  let clientAuth: ClientAuthMethod = clientSecret ? 'basic' : 'none';
  if (credsRaw !== undefined) {
    const m = CLIENT_AUTH[credsRaw.trim().toLowerCase()];
    if (!m) problem('Client Credentials', `Client Credentials "${credsRaw}" is not supported (supported: basic, in body, none)`);
    else clientAuth = m;
  }
  if (clientAuth !== 'none' && !clientSecret) problem('Client Credentials', `"Client Credentials" is "${credsRaw ?? 'basic'}" but there is no "Client Secret" (put it in http-client.private.env.json, or set "Client Credentials": "none" for a public client)`);
  const need = (key: string, why: string): string | undefined => {
    const v = str(key);
    if (!v) problem(undefined, `"${key}" is missing: ${why}`);
    return v;
  };
  const out: Partial<AuthConfig> = {};
  if (grant === 'password') {
    out.username = need('Username', 'the Password grant sends the resource owner\'s user name');
    out.password = need('Password', 'the Password grant sends the resource owner\'s password');
  }
  if (grant === 'authorization_code') {
    out.authUrl = need('Auth URL', 'the Authorization Code grant opens the authorization endpoint');
    out.redirectUrl = str('Redirect URL');
  }
  if (grant === 'device_code') out.deviceAuthUrl = need('Device Auth URL', 'the Device Authorization grant starts at the device authorization endpoint (RFC 8628 §3.1)');
  if (grant === 'refresh_token') out.refreshToken = need('Refresh Token', 'the Refresh Token grant needs the refresh token (keep it in http-client.private.env.json)');
  let pkce: AuthConfig['pkce'] = grant === 'authorization_code' ? 'S256' : false;
  let codeVerifier: string | undefined;
  const p = merged['PKCE']?.value;
  if (p === false) pkce = false;
  else if (p === true || p === undefined || p === null) {
    /* default */
  } else if (isObject(p)) {
    const method = p['Code Challenge Method'];
    if (method !== undefined) {
      if (typeof method === 'string' && /^(sha-?256|s256)$/i.test(method)) pkce = 'S256';
      else if (typeof method === 'string' && /^plain$/i.test(method)) pkce = 'plain';
      else problem('PKCE', `PKCE "Code Challenge Method" ${JSON.stringify(method)} is not supported (supported: SHA-256, Plain)`);
    } else pkce = 'S256';
    const v = p['Code Verifier'];
    if (typeof v === 'string') codeVerifier = v;
    else if (v !== undefined) problem('PKCE', 'PKCE "Code Verifier" must be a string');
  } else problem('PKCE', `"PKCE" must be true, false or { "Code Challenge Method": "SHA-256" }, not ${JSON.stringify(p)}`);
  const custom: Record<string, string> = {};
  const cp = merged['Custom Request Parameters']?.value;
  if (isObject(cp)) for (const [k, v] of Object.entries(cp)) if (typeof v === 'string') custom[k] = v;
  const useId = merged['Use ID Token']?.value;
  if (problems.length > 0) return problems;
  const cfg: AuthConfig = {
    id,
    ...where(),
    grant: grant!,
    tokenUrl: tokenUrl!,
    clientId: clientId!,
    clientAuth,
    pkce,
    useIdToken: useId === true || useId === 'true',
    customParams: custom,
  };
  for (const [k, v] of Object.entries(out)) if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v;
  if (clientSecret !== undefined) cfg.clientSecret = clientSecret;
  const scope = str('Scope');
  if (scope !== undefined) cfg.scope = scope;
  const audience = str('Audience');
  if (audience !== undefined) cfg.audience = audience;
  const resource = str('Resource');
  if (resource !== undefined) cfg.resource = resource;
  if (codeVerifier !== undefined) cfg.codeVerifier = codeVerifier;
  return cfg;
}

/** Every string field of a config that may carry {{variables}}. */
export const SUBSTITUTED: Array<keyof AuthConfig> = ['tokenUrl', 'authUrl', 'deviceAuthUrl', 'redirectUrl', 'clientId', 'clientSecret', 'scope', 'audience', 'resource', 'username', 'password', 'refreshToken', 'codeVerifier'];
/** Fields whose values are secrets wherever they came from. */
export const SECRET_FIELDS: Array<keyof AuthConfig> = ['clientSecret', 'password', 'refreshToken', 'codeVerifier'];

/** A URL field after substitution: absolute http(s), else a problem message. */
export function checkUrl(label: string, value: string): string | undefined {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `"${label}" is not an absolute URL: ${JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)}`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `"${label}" must be an http: or https: URL, not ${u.protocol}`;
  return undefined;
}

/** `$auth.token("id")` / `$auth.idToken("id")` inside `{{ }}`, else undefined. */
export function parseAuthReference(name: string): { kind: 'token' | 'idToken'; id: string } | { error: string } | undefined {
  if (!name.startsWith('$auth.')) return undefined;
  const m = /^\$auth\.(token|idToken)\(\s*"([^"]*)"\s*\)$/.exec(name);
  if (!m) return { error: `{{${name}}}: write {{$auth.token("<id>")}} or {{$auth.idToken("<id>")}} with the id of a Security.Auth configuration` };
  return { kind: m[1] as 'token' | 'idToken', id: m[2]! };
}
