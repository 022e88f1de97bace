import { defineDetector, type Finding } from '../explain-context';
import { GRANT_LABEL } from '../oauth/config';
import { contentType, parseJsonObject, readTokenResponse, type TokenFailure } from '../oauth/token';
import type { ExplainContext } from '../explain-context';
import type { GrantType } from '../oauth/config';

const GRANT_PARAM: Record<string, GrantType> = {
  client_credentials: 'client_credentials',
  password: 'password',
  authorization_code: 'authorization_code',
  refresh_token: 'refresh_token',
  'urn:ietf:params:oauth:grant-type:device_code': 'device_code',
};

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
};

/** A captured token request (`authlint explain --request`) that did not get a token. */
function capturedTokenFailure(ctx: ExplainContext): TokenFailure | undefined {
  const req = ctx.request;
  if (!req || req.method !== 'POST' || req.body === undefined || !/application\/x-www-form-urlencoded/i.test(req.headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '')) return undefined;
  const form = new URLSearchParams(req.body);
  const grant = GRANT_PARAM[form.get('grant_type') ?? ''];
  if (!grant) return undefined;
  const r = readTokenResponse(ctx.response, parseJsonObject(ctx.response), Date.now());
  if ('accessToken' in r) return undefined;
  const a = ctx.creds?.authorization;
  const basicId = a && /^basic$/i.test(a.scheme) && a.token ? safeDecode(Buffer.from(a.token, 'base64').toString('utf8').split(':')[0] ?? '') : undefined;
  const config: TokenFailure['config'] = { file: '', line: 0, clientAuth: basicId !== undefined ? 'basic' : form.has('client_secret') ? 'in body' : 'none', clientId: basicId ?? form.get('client_id') ?? '', pkce: form.has('code_verifier') ? 'S256' : false, tokenUrl: req.url };
  const scope = form.get('scope');
  if (scope !== null) config.scope = scope;
  const f: TokenFailure = { id: '', grant, step: grant === 'refresh_token' ? 'refresh' : 'token', kind: r.kind, endpoint: req.url, config, request: req, response: ctx.response, answered: true };
  if (r.oauth) f.oauth = r.oauth;
  return f;
}

const where = (f: TokenFailure): string => (f.config.file ? `Security.Auth."${f.id}" (${f.config.file.split(/[\\/]/).pop()}:${f.config.line}${f.environment ? `, environment "${f.environment}"` : ''})` : 'the client\'s settings');
/** ' for "id"', or '' for a captured token request (no configuration known). */
const forId = (f: TokenFailure): string => (f.id ? ` for "${f.id}"` : '');

const CLIENT_AUTH_WORDS: Record<string, string> = {
  basic: '"Client Credentials": "basic" (an Authorization: Basic header, client_secret_basic)',
  'in body': '"Client Credentials": "in body" (client_id and client_secret in the form, client_secret_post)',
  none: '"Client Credentials": "none" (only client_id, a public client)',
};

/** What the RFC 6749 §5.2 (or RFC 8628 §3.5) error code means here, and what to change. */
function forError(f: TokenFailure, code: string): string {
  const grant = GRANT_LABEL[f.grant];
  const refresh = f.step === 'refresh';
  switch (code) {
    case 'invalid_client':
      return `The authorization server did not authenticate the client "${f.config.clientId}". You sent ${CLIENT_AUTH_WORDS[f.config.clientAuth]}. Either "Client Secret" is wrong (check the value in http-client.private.env.json), the client ID is unknown, or the server expects another client authentication method: try ${f.config.clientAuth === 'basic' ? '"Client Credentials": "in body"' : f.config.clientAuth === 'in body' ? '"Client Credentials": "basic"' : 'a "Client Secret" with "Client Credentials": "basic" or "in body" (the server does not treat this client as public)'}, matching the client's token_endpoint_auth_method at the server.`;
    case 'invalid_grant':
      if (refresh) return `The refresh token was refused: it has expired, was revoked (by a logout, a password change, or rotation after earlier use), or was issued to another client. ${f.grant === 'refresh_token' ? 'Replace "Refresh Token" with a current one' : 'The cached tokens were discarded; run the request again to log in anew'}.`;
      if (f.grant === 'authorization_code') return `The authorization code was refused: it expired or was already used, the redirect_uri differs from the one of the authorization request (check "Redirect URL" and the client's registered redirect URIs), or the PKCE code_verifier does not match the code_challenge (check "PKCE"). Run the request again to get a fresh code.`;
      if (f.grant === 'password') return 'The resource owner credentials were refused: check "Username" and "Password" (keep the password in http-client.private.env.json).';
      if (f.grant === 'device_code') return 'The device code was refused (expired or already used). Run the request again to get a new user code.';
      return `The grant was refused (${grant}).`;
    case 'invalid_scope':
      return `The server does not grant the requested scope ${f.config.scope ? `"${f.config.scope}"` : '(none was requested: this server needs a "Scope")'} to this client. Change "Scope" to scopes the server offers for this client (its metadata lists scopes_supported) or allow them for the client at the server.`;
    case 'unauthorized_client':
      return `The client "${f.config.clientId}" may not use the ${grant} grant. Allow that grant for the client at the authorization server (its grant_types), or change "Grant Type" to one the client has.`;
    case 'unsupported_grant_type':
      return `The authorization server does not support the ${grant} grant at all. Change "Grant Type" to one it lists in grant_types_supported of its metadata.`;
    case 'invalid_request':
      return 'The token request lacks a parameter the server needs, repeats one, or has a malformed value. The description above names it; add it to the settings (or "Custom Request Parameters").';
    case 'invalid_target':
      return `The server refused the "Resource" indicator (RFC 8707 §2): change "Resource" to a resource this client may ask tokens for.`;
    case 'access_denied':
      return 'The person (or the server\'s policy) denied the authorization request. Run the request again and approve it, or check the client\'s permissions.';
    case 'expired_token':
      return 'The device code expired before the user code was entered (RFC 8628 §3.5). Run the request again and enter the new user code sooner.';
    case 'unsupported_response_type':
      return 'The authorization endpoint does not allow response_type=code for this client. Allow the authorization code grant for the client at the server.';
    case 'server_error':
    case 'temporarily_unavailable':
      return 'The authorization server reports a failure of its own. Retry later, or look at the server\'s logs.';
    default:
      return 'The server returned an error code outside RFC 6749 §5.2; its description is the best hint.';
  }
}

/** The explanation of a failed token acquisition (also used when nothing answered). */
export function explainTokenFailure(f: TokenFailure): Finding {
  const x = explainInner(f);
  // A captured token request (authlint explain): no env file to point at, no resource request.
  if (!f.config.file) x.detail = x.detail.replace(/ Change the client's settings\./g, '').replace(/ ?Nothing was sent to the resource\./g, '').trim();
  return x;
}

function explainInner(f: TokenFailure): Finding {
  const w = where(f);
  const status = f.response ? ` with ${f.response.status}` : '';
  const endpointName = f.step === 'authorization' ? 'authorization endpoint' : f.step === 'device-authorization' ? 'device authorization endpoint' : 'token endpoint';
  if (f.oauth) {
    const said = `${f.oauth.description ? ` The server says: "${f.oauth.description}".` : ''}${f.oauth.uri ? ` More at ${f.oauth.uri}.` : ''}`;
    const step = f.step === 'refresh' ? 'refreshing the token' : f.step === 'authorization' ? 'the authorization request' : `the ${GRANT_LABEL[f.grant]} token request`;
    return {
      title: `Getting a token${forId(f)} failed: ${f.oauth.error}`,
      detail: `The ${endpointName} ${f.endpoint} answered ${step}${status} and error="${f.oauth.error}".${said} ${forError(f, f.oauth.error)} Change ${w}. Nothing was sent to the resource.`,
      refs: f.step === 'authorization' ? ['RFC 6749 §4.1.2.1'] : f.grant === 'device_code' && f.step === 'device-poll' ? ['RFC 8628 §3.5', 'RFC 6749 §5.2'] : ['RFC 6749 §5.2'],
    };
  }
  switch (f.kind) {
    case 'not-json': {
      const ct = f.response ? contentType(f.response) : '';
      const html = /html/i.test(ct) || /^\s*</.test(f.response?.body ?? '');
      return {
        title: `The token endpoint${forId(f)} did not answer with JSON`,
        detail: `${f.endpoint} answered${status}${ct ? ` and Content-Type ${ct}` : ' without a Content-Type'}, not the JSON object RFC 6749 §5.1 requires${html ? ': an HTML page, so "Token URL" probably points at a web page (a login page, a portal, a proxy\'s error page) rather than the token endpoint' : ''}. Check "Token URL" in ${w}: it is the token_endpoint of the server's metadata. Nothing was sent to the resource.`,
        refs: ['RFC 6749 §5.1'],
      };
    }
    case 'no-access-token': {
      const keys = f.response?.body ? safeKeys(f.response.body) : [];
      return {
        title: `The token response${forId(f)} has no access_token`,
        detail: `${f.endpoint} answered${status} with JSON${keys.length ? ` holding ${keys.join(', ')}` : ''} but no access_token (RFC 6749 §5.1).${f.message ? ` ${f.message}` : ''} "Token URL" in ${w} may name another endpoint, or the server needs other parameters. Nothing was sent to the resource.`,
        refs: ['RFC 6749 §5.1'],
      };
    }
    case 'http-error':
      return {
        title: `The token endpoint${forId(f)} answered ${f.response?.status ?? 'an error'} without an OAuth error`,
        detail: `${f.endpoint} answered${status} without the "error" member of RFC 6749 §5.2, so it may not be a token endpoint at all. Check "Token URL" in ${w}. Nothing was sent to the resource.`,
        refs: ['RFC 6749 §5.2'],
      };
    case 'unreachable':
      return {
        title: `The ${endpointName} for "${f.id}" could not be reached`,
        detail: `${f.network?.message ?? f.message ?? 'No answer.'} Check "${f.step === 'authorization' ? 'Auth URL' : f.step === 'device-authorization' ? 'Device Auth URL' : 'Token URL'}" (${f.endpoint}) in ${w}, or start that server. Nothing was sent to the resource.`,
        refs: ['RFC 6749 §3.2'],
      };
    case 'authorization-endpoint':
      return {
        title: `The authorization endpoint refused the request for "${f.id}"`,
        detail: `${f.message ?? ''} A server that does not recognise the client or its redirect URI must not redirect back (RFC 6749 §4.1.2.1): check "Client ID", and register the redirect URI AuthLint uses ("Redirect URL"${f.config.redirectUrl ? ` = ${f.config.redirectUrl}` : ', else /callback on a free port of 127.0.0.1'}) for the client. Change ${w}. Nothing was sent to the resource.`,
        refs: ['RFC 6749 §4.1.2.1'],
      };
    default:
      return {
        title: f.kind === 'timeout' ? `Timed out waiting for the login for "${f.id}"` : f.kind === 'listener' ? `The redirect listener for "${f.id}" could not start` : `Getting a token for "${f.id}" failed`,
        detail: `${f.message ?? f.kind} (${w}). Nothing was sent to the resource.`,
        refs: f.kind === 'timeout' && f.grant === 'device_code' ? ['RFC 8628 §3.5'] : ['RFC 8252 §7.3'],
      };
  }
}

/** Member names of a JSON object (never values: they may be secrets). */
function safeKeys(body: string): string[] {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v).slice(0, 12).map((k) => JSON.stringify(k.slice(0, 40))) : [];
  } catch {
    return [];
  }
}

/** Getting the token for {{$auth.token(...)}} failed; nothing was sent to the resource. */
export default defineDetector({
  code: 'token-request-failed',
  severity: 'error',
  title: 'Getting the OAuth 2.0 token failed',
  refs: ['RFC 6749 §5.2'],
  detect(ctx) {
    const f = ctx.exchange.tokenFailure ?? capturedTokenFailure(ctx);
    return f ? explainTokenFailure(f) : undefined;
  },
});
