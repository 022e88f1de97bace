import { say } from '../say';
import { challengedSchemes, defineDetector, describeChallenges } from '../explain-context';

/** The request's auth scheme is not among the challenged schemes (401 or 407). */
export default defineDetector({
  code: 'scheme-mismatch',
  severity: 'error',
  title: say`Your credentials use a scheme the server did not ask for`,
  refs: ['RFC 9110 §11.1', 'RFC 9110 §11.6.1'],
  detect(ctx) {
    const proxy = ctx.status === 407;
    if (ctx.status !== 401 && !proxy) return undefined;
    const sent = proxy ? ctx.creds?.proxyAuthorization : ctx.creds?.authorization;
    if (!sent) return undefined;
    const lines = proxy ? ctx.proxy : ctx.www;
    const schemes = challengedSchemes(lines);
    if (schemes.length === 0 || schemes.includes(sent.scheme.toLowerCase())) return undefined;
    if (sent.scheme === '') {
      if (sent.issues.length > 0) return undefined; // a bare JWT: credentials-malformed says it
      return {
        title: say`${sent.header} has no scheme, the ${proxy ? say`proxy` : say`server`} asks for ${schemes.map(cap).join(say` or `)}`,
        detail: say`The ${sent.header} header holds a bare value with no scheme word before it, and the ${proxy ? say`proxy` : say`server`} challenged ${describeChallenges(lines)}. Put the scheme first, e.g. "${sent.header}: ${cap(schemes[0] ?? say`bearer`)} <credentials>".`,
      };
    }
    return {
      title: say`${sent.scheme} sent, but the ${proxy ? say`proxy` : say`server`} asks for ${schemes.map(cap).join(say` or `)}`,
      detail: say`The ${sent.header} header uses the ${sent.scheme} scheme, and the ${proxy ? say`proxy` : say`server`} only challenged ${describeChallenges(lines)}. Scheme names are compared case-insensitively, and ${sent.scheme} is not among them, so the credentials were not even considered. Send credentials of a challenged scheme${schemes.includes(say`bearer`) ? say` (for Bearer: an access token from the authorization server, not a password)` : say``}.`,
      refs: proxy ? ['RFC 9110 §11.1', 'RFC 9110 §11.7.1'] : ['RFC 9110 §11.1', 'RFC 9110 §11.6.1'],
    };
  },
});

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
