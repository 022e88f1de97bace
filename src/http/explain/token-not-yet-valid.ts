import { say } from '../say';
import { humanDuration, isoTime } from '../jwt';
import { defineDetector } from '../explain-context';

/** A JWT whose nbf / iat lies after the response's Date: the clocks disagree. */
export default defineDetector({
  code: 'token-not-yet-valid',
  severity: 'error',
  title: say`The token is not valid yet (clock skew)`,
  refs: ['RFC 7519 §4.1.5', 'RFC 7519 §4.1.6'],
  detect(ctx) {
    const jwt = ctx.jwt;
    if (!jwt) return undefined;
    const now = ctx.now.getTime() / 1000;
    const { nbf, iat } = jwt.token;
    // The Date header has one-second resolution: allow one second before calling it skew.
    const claim = nbf !== undefined && nbf > now + 1 ? { name: 'nbf', t: nbf } : iat !== undefined && iat > now + 1 ? { name: 'iat', t: iat } : undefined;
    if (!claim) return undefined;
    const ahead = humanDuration(claim.t - now);
    return {
      title: say`The token is valid only from ${ahead} in the future`,
      severity: ctx.status >= 400 ? 'error' : 'warning',
      detail: say`The ${claim.name} claim of ${jwt.source} is ${isoTime(claim.t)}, ${ahead} after ${ctx.nowSource === say`Date header` ? say`the response's Date header` : say`the local clock`} (${ctx.now.toISOString().replace(say`.000Z`, say`Z`)}). The clock of the token issuer and the server's clock disagree. Sync the clocks (NTP), or wait and retry; servers usually allow only a small leeway.`,
      refs: claim.name === 'nbf' ? ['RFC 7519 §4.1.5'] : ['RFC 7519 §4.1.6'],
    };
  },
});
