import { joinSaid, say } from '../say';
import { challengedSchemes, defineDetector } from '../explain-context';

/** Well-formed credentials of a challenged scheme, and still 401. */
export default defineDetector({
  code: 'credentials-rejected',
  severity: 'error',
  title: say`The server rejected your credentials`,
  refs: ['RFC 9110 §11.4', 'RFC 9110 §15.5.2'],
  unless: ['token-expired', 'token-not-yet-valid', 'invalid-token', 'digest-stale', 'credentials-dropped-on-redirect', 'invalid-request'],
  detect(ctx) {
    if (ctx.status !== 401) return undefined;
    const a = ctx.creds?.authorization;
    if (!a || a.scheme === '' || a.issues.length > 0) return undefined;
    const schemes = challengedSchemes(ctx.www);
    if (schemes.length > 0 && !schemes.includes(a.scheme.toLowerCase())) return undefined;
    const scheme = a.scheme.toLowerCase();
    let why: string;
    if (scheme === 'basic') {
      why = say`The user-id "${a.basic?.user ?? say``}" or its password is wrong, the account is locked, or the password contains characters the server decodes differently (RFC 7617 §2.1 charset). Check them and resend.`;
    } else if (scheme === 'bearer' || scheme === 'dpop') {
      const jwt = ctx.jwt?.token;
      const facts: string[] = [];
      if (jwt?.iss) facts.push(say`issuer "${jwt.iss}"`);
      if (jwt?.aud) facts.push(say`audience ${jwt.aud.map((x) => say`"${x}"`).join(say`, `)}`);
      const about = facts.length > 0 ? say` The token names ${joinSaid(facts, ' and ')}: check they are the ones this API expects.` : '';
      why = say`The token is well formed but was not accepted: it may be revoked, issued for another API (audience) or by another issuer, or signed with a key the server does not trust.${about} Get a fresh token for this API.`;
    } else if (scheme === 'digest') {
      why = say`The Digest response did not match: wrong user or password, a different realm, or a hash over another URI or method. Rebuild the credentials from the latest challenge.`;
    } else {
      why = say`The ${a.scheme} credentials were read but not accepted. Check that they are current and meant for this server.`;
    }
    return { detail: say`You sent ${a.scheme} credentials in ${a.header}, which the server accepts as a scheme, and it still answered 401: it refused these particular credentials. ${why}` };
  },
});
