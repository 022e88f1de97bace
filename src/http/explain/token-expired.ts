import { say } from '../say';
import { humanDuration, isoTime } from '../jwt';
import { defineDetector } from '../explain-context';

/** A JWT whose exp is before the response's Date (or now). */
export default defineDetector({
  code: 'token-expired',
  severity: 'error',
  title: say`The token has expired`,
  refs: ['RFC 7519 §4.1.4', 'RFC 6750 §3.1'],
  detect(ctx) {
    const jwt = ctx.jwt;
    if (!jwt || jwt.token.exp === undefined) return undefined;
    const now = ctx.now.getTime() / 1000;
    const exp = jwt.token.exp;
    if (exp > now) return undefined;
    const ago = humanDuration(now - exp);
    return {
      title: say`The token expired ${ago} ago`,
      severity: ctx.status >= 400 ? 'error' : 'warning',
      detail: say`The exp claim of ${jwt.source} is ${isoTime(exp)}, ${ago} before ${ctx.nowSource === say`Date header` ? say`the response's Date header` : say`the local clock`} (${ctx.now.toISOString().replace(say`.000Z`, say`Z`)}). Servers must reject expired tokens. Get a new access token (log in again or use the refresh token) and resend.`,
    };
  },
});
