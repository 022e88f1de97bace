import { say } from '../say';
import { values } from '../explain-context';
import { defineDetector } from '../explain-context';
import type { SentRequest } from '../types';

const LOGIN_PATH = /(^|[/._-])(login|log-in|logon|signin|sign-in|sign_in|auth|authorize|authenticate|oauth2?|sso|saml2?|cas|session\/new|wp-login\.php)([/._?#-]|$)/i;
const RETURN_PARAM = /[?&](returnurl|return_to|returnto|redirect_uri|redirect|next|continue|goto|service)=/i;

/** Does this Location look like a login / sign-in page? */
export function looksLikeLogin(location: string): boolean {
  let path = location;
  try {
    const u = new URL(location, 'http://x.invalid');
    path = u.pathname + u.search;
  } catch {
    // keep as written
  }
  return LOGIN_PATH.test(path.split('?')[0] ?? '') || (RETURN_PARAM.test(path) && /log|sign|auth|sso/i.test(path));
}

/** Does the request look like an API call rather than a browser page load? */
export function looksLikeApi(req: SentRequest): boolean {
  const h = (n: string): string => req.headers.filter(([k]) => k.toLowerCase() === n).map(([, v]) => v).join(', ');
  let path = '';
  try {
    path = new URL(req.url).pathname;
  } catch {
    path = req.url;
  }
  return /json|\+xml|protobuf/i.test(h('accept')) || /json/i.test(h('content-type')) || /^\/(api|graphql|v\d+)(\/|$)/i.test(path) || /^\/.*\/api\//i.test(path) || req.method.toUpperCase() !== 'GET' || h('x-requested-with') !== '';
}

/** A 3xx to a login page where an API would answer 401. */
export default defineDetector({
  code: 'login-redirect',
  severity: 'error',
  title: say`Redirected to a login page instead of a 401`,
  refs: ['RFC 9110 §15.4', 'RFC 9110 §15.5.2'],
  detect(ctx) {
    const hops: Array<{ status: number; location: string }> = ctx.response.redirects.map((h) => ({ status: h.status, location: h.location }));
    if (ctx.status >= 300 && ctx.status < 400) {
      const loc = values(ctx.response.headers, 'location')[0];
      if (loc) hops.push({ status: ctx.status, location: loc });
    }
    const hit = hops.find((h) => looksLikeLogin(h.location));
    if (!hit) return undefined;
    const req = ctx.original ?? ctx.request;
    if (req && !looksLikeApi(req)) return undefined;
    const followed = ctx.status < 300 || ctx.status >= 400 ? say` The redirect was followed and the final ${ctx.status} is that login page, not your data.` : '';
    const unknown = req ? '' : ' (The request was not given, so this assumes it was an API call.)';
    return {
      severity: req ? 'error' : 'warning',
      detail: say`The server answered ${hit.status} with Location: ${hit.location}, a login page meant for a browser.${followed} An API would answer 401 here. Usually the session cookie is missing or expired, or this endpoint expects a token (Authorization: Bearer …) that was not sent or not recognised. Send credentials the API accepts; if it uses a session, log in and send the session cookie.${unknown}`,
    };
  },
});
