import { say } from '../say';
import { hasAnyCredentials } from '../credentials';
import { challengedSchemes, defineDetector, describeChallenges } from '../explain-context';

function example(scheme: string, proxy: boolean): string {
  const h = proxy ? say`Proxy-Authorization` : say`Authorization`;
  switch (scheme) {
    case 'basic': return say`${h}: Basic <base64 of user:password>`;
    case 'bearer': return say`${h}: Bearer <access token>`;
    case 'digest': return say`${h}: Digest username="…", realm="…", nonce="…", uri="…", response="…"`;
    default: return say`${h}: ${scheme} <credentials>`;
  }
}

/** 401/407 and the request (as written) carried no credentials of any kind. */
export default defineDetector({
  code: 'no-credentials',
  severity: 'error',
  title: say`The request carried no credentials`,
  refs: ['RFC 9110 §11.4', 'RFC 9110 §15.5.2'],
  detect(ctx) {
    if (ctx.status !== 401 && ctx.status !== 407) return undefined;
    const proxy = ctx.status === 407;
    const sent = ctx.originalCreds;
    if (!sent || (proxy ? sent.proxyAuthorization !== undefined : hasAnyCredentials(sent))) return undefined;
    const lines = proxy ? ctx.proxy : ctx.www;
    const schemes = challengedSchemes(lines);
    const asked = schemes.length > 0 ? say`The ${proxy ? say`proxy` : say`server`} asks for: ${describeChallenges(lines)}. ` : '';
    const how = schemes.length > 0 ? say`Add a header such as "${example(schemes[0] ?? say`bearer`, proxy)}".` : say`Add the credentials the API documents (usually "${example(say`bearer`, proxy)}").`;
    return {
      title: proxy ? say`No Proxy-Authorization was sent to the proxy` : say`The request carried no credentials`,
      detail: proxy
        ? say`The request carried no Proxy-Authorization header, so the proxy answered 407. ${asked}${how}`
        : say`Nothing in the request identifies you: no Authorization header, cookie, API key header or token in the URL, so the server answered 401. ${asked}${how}`,
      refs: proxy ? ['RFC 9110 §11.7.2', 'RFC 9110 §15.5.8'] : ['RFC 9110 §11.4', 'RFC 9110 §15.5.2'],
    };
  },
});
