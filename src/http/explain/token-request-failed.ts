import { defineDetector, type Finding } from '../explain-context';
import { say } from '../say';
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

const where = (f: TokenFailure): string => (f.config.file ? say`Security.Auth."${f.id}" (${f.config.file.split(/[\\/]/).pop()}:${f.config.line}${f.environment ? say`, environment "${f.environment}"` : say``})` : say`the client's settings`);
/** ' for "id"', or '' for a captured token request (no configuration known). */
const forId = (f: TokenFailure): string => (f.id ? say` for "${f.id}"` : say``);

const CLIENT_AUTH_WORDS: Record<string, string> = {
  basic: say`"Client Credentials": "basic" (an Authorization: Basic header, client_secret_basic)`,
  'in body': say`"Client Credentials": "in body" (client_id and client_secret in the form, client_secret_post)`,
  none: say`"Client Credentials": "none" (only client_id, a public client)`,
};

/** What the RFC 6749 §5.2 (or RFC 8628 §3.5) error code means here, and what to change. */
function forError(f: TokenFailure, code: string): string {
  const grant = GRANT_LABEL[f.grant];
  const refresh = f.step === 'refresh';
  switch (code) {
    case 'invalid_client':
      return say`The authorization server did not authenticate the client "${f.config.clientId}". You sent ${CLIENT_AUTH_WORDS[f.config.clientAuth]}. Either "Client Secret" is wrong (check the value in http-client.private.env.json), the client ID is unknown, or the server expects another client authentication method: try ${f.config.clientAuth === 'basic' ? say`"Client Credentials": "in body"` : f.config.clientAuth === 'in body' ? say`"Client Credentials": "basic"` : say`a "Client Secret" with "Client Credentials": "basic" or "in body" (the server does not treat this client as public)`}, matching the client's token_endpoint_auth_method at the server.`;
    case 'invalid_grant':
      if (refresh) return say`The refresh token was refused: it has expired, was revoked (by a logout, a password change, or rotation after earlier use), or was issued to another client. ${f.grant === 'refresh_token' ? say`Replace "Refresh Token" with a current one` : say`The cached tokens were discarded; run the request again to log in anew`}.`;
      if (f.grant === 'authorization_code') return say`The authorization code was refused: it expired or was already used, the redirect_uri differs from the one of the authorization request (check "Redirect URL" and the client's registered redirect URIs), or the PKCE code_verifier does not match the code_challenge (check "PKCE"). Run the request again to get a fresh code.`;
      if (f.grant === 'password') return say`The resource owner credentials were refused: check "Username" and "Password" (keep the password in http-client.private.env.json).`;
      if (f.grant === 'device_code') return say`The device code was refused (expired or already used). Run the request again to get a new user code.`;
      return say`The grant was refused (${grant}).`;
    case 'invalid_scope':
      return say`The server does not grant the requested scope ${f.config.scope ? say`"${f.config.scope}"` : say`(none was requested: this server needs a "Scope")`} to this client. Change "Scope" to scopes the server offers for this client (its metadata lists scopes_supported) or allow them for the client at the server.`;
    case 'unauthorized_client':
      return say`The client "${f.config.clientId}" may not use the ${grant} grant. Allow that grant for the client at the authorization server (its grant_types), or change "Grant Type" to one the client has.`;
    case 'unsupported_grant_type':
      return say`The authorization server does not support the ${grant} grant at all. Change "Grant Type" to one it lists in grant_types_supported of its metadata.`;
    case 'invalid_request':
      return say`The token request lacks a parameter the server needs, repeats one, or has a malformed value. The description above names it; add it to the settings (or "Custom Request Parameters").`;
    case 'invalid_target':
      return say`The server refused the "Resource" indicator (RFC 8707 §2): change "Resource" to a resource this client may ask tokens for.`;
    case 'access_denied':
      return say`The person (or the server's policy) denied the authorization request. Run the request again and approve it, or check the client's permissions.`;
    case 'expired_token':
      return say`The device code expired before the user code was entered (RFC 8628 §3.5). Run the request again and enter the new user code sooner.`;
    case 'unsupported_response_type':
      return say`The authorization endpoint does not allow response_type=code for this client. Allow the authorization code grant for the client at the server.`;
    case 'server_error':
    case 'temporarily_unavailable':
      return say`The authorization server reports a failure of its own. Retry later, or look at the server's logs.`;
    default:
      return say`The server returned an error code outside RFC 6749 §5.2; its description is the best hint.`;
  }
}

/** The explanation of a failed token acquisition (also used when nothing answered). */
export function explainTokenFailure(f: TokenFailure): Finding {
  return explainInner(f);
}

function explainInner(f: TokenFailure): Finding {
  const w = where(f);
  // A captured token request (authlint explain): no env file to point at, no resource request.
  const captured = !f.config.file;
  const change = captured ? say`` : say` Change ${w}.`;
  const nothing = captured ? say`` : say` Nothing was sent to the resource.`;
  const status = f.response ? say` with ${f.response.status}` : say``;
  const endpointName = f.step === 'authorization' ? say`authorization endpoint` : f.step === 'device-authorization' ? say`device authorization endpoint` : say`token endpoint`;
  if (f.oauth) {
    const said = say`${f.oauth.description ? say` The server says: "${f.oauth.description}".` : say``}${f.oauth.uri ? say` More at ${f.oauth.uri}.` : say``}`;
    const step = f.step === 'refresh' ? say`refreshing the token` : f.step === 'authorization' ? say`the authorization request` : say`the ${GRANT_LABEL[f.grant]} token request`;
    return {
      title: say`Getting a token${forId(f)} failed: ${f.oauth.error}`,
      detail: say`The ${endpointName} ${f.endpoint} answered ${step}${status} and error="${f.oauth.error}".${said} ${forError(f, f.oauth.error)}${change}${nothing}`,
      refs: f.step === 'authorization' ? ['RFC 6749 §4.1.2.1'] : f.grant === 'device_code' && f.step === 'device-poll' ? ['RFC 8628 §3.5', 'RFC 6749 §5.2'] : ['RFC 6749 §5.2'],
    };
  }
  switch (f.kind) {
    case 'not-json': {
      const ct = f.response ? contentType(f.response) : say``;
      const html = /html/i.test(ct) || /^\s*</.test(f.response?.body ?? say``);
      return {
        title: say`The token endpoint${forId(f)} did not answer with JSON`,
        detail: say`${f.endpoint} answered${status}${ct ? say` and Content-Type ${ct}` : say` without a Content-Type`}, not the JSON object RFC 6749 §5.1 requires${html ? say`: an HTML page, so "Token URL" probably points at a web page (a login page, a portal, a proxy's error page) rather than the token endpoint` : say``}. Check "Token URL" in ${w}: it is the token_endpoint of the server's metadata.${nothing}`,
        refs: ['RFC 6749 §5.1'],
      };
    }
    case 'no-access-token': {
      const keys = f.response?.body ? safeKeys(f.response.body) : [];
      return {
        title: say`The token response${forId(f)} has no access_token`,
        detail: say`${f.endpoint} answered${status} with JSON${keys.length ? say` holding ${keys.join(', ')}` : say``} but no access_token (RFC 6749 §5.1).${f.message ? say` ${f.message}` : say``} "Token URL" in ${w} may name another endpoint, or the server needs other parameters.${nothing}`,
        refs: ['RFC 6749 §5.1'],
      };
    }
    case 'http-error':
      return {
        title: say`The token endpoint${forId(f)} answered ${f.response?.status ?? say`an error`} without an OAuth error`,
        detail: say`${f.endpoint} answered${status} without the "error" member of RFC 6749 §5.2, so it may not be a token endpoint at all. Check "Token URL" in ${w}.${nothing}`,
        refs: ['RFC 6749 §5.2'],
      };
    case 'unreachable':
      return {
        title: say`The ${endpointName} for "${f.id}" could not be reached`,
        detail: say`${f.network?.message ?? f.message ?? say`No answer.`} Check "${f.step === 'authorization' ? say`Auth URL` : f.step === 'device-authorization' ? say`Device Auth URL` : say`Token URL`}" (${f.endpoint}) in ${w}, or start that server.${nothing}`,
        refs: ['RFC 6749 §3.2'],
      };
    case 'authorization-endpoint':
      return {
        title: say`The authorization endpoint refused the request for "${f.id}"`,
        detail: say`${f.message ?? say``} A server that does not recognise the client or its redirect URI must not redirect back (RFC 6749 §4.1.2.1): check "Client ID", and register the redirect URI AuthLint uses ("Redirect URL"${f.config.redirectUrl ? say` = ${f.config.redirectUrl}` : say`, else /callback on a free port of 127.0.0.1`}) for the client.${change}${nothing}`,
        refs: ['RFC 6749 §4.1.2.1'],
      };
    default:
      return {
        title: f.kind === 'timeout' ? say`Timed out waiting for the login for "${f.id}"` : f.kind === 'listener' ? say`The redirect listener for "${f.id}" could not start` : say`Getting a token for "${f.id}" failed`,
        detail: say`${f.message ?? f.kind} (${w}).${nothing}`,
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
