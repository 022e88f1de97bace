import { say } from '../say';
import { hasOriginCredentials } from '../credentials';
import { defineDetector } from '../explain-context';

/** 403 although no credentials were sent: the server likely means 401, or hides the resource. */
export default defineDetector({
  code: 'forbidden-without-credentials',
  severity: 'error',
  title: say`403 although no credentials were sent`,
  refs: ['RFC 9110 §15.5.4', 'RFC 9110 §15.5.2'],
  unless: ['login-redirect', 'credentials-dropped-on-redirect'],
  detect(ctx) {
    if (ctx.status !== 403 || !ctx.creds || !ctx.originalCreds) return undefined;
    if (hasOriginCredentials(ctx.creds) || hasOriginCredentials(ctx.originalCreds)) return undefined;
    const challenged = ctx.www.length > 0 ? say` It does name a challenge: ${ctx.www.map((l) => l.value).join(say`; `)}.` : '';
    return {
      detail: say`The request carried no credentials at all (no Authorization, cookie, API key or token in the URL), and the server answered 403 Forbidden. By RFC 9110 a missing login calls for 401 with a challenge, so this server most likely means "log in first" (or refuses anonymous access outright).${challenged} Send the credentials the API documents and try again.`,
    };
  },
});
