import { joinSaid, say } from '../say';
import { said, findBearerError, statusNote } from '../bearer-error';
import { defineDetector } from '../explain-context';

/** Bearer error="invalid_request". */
export default defineDetector({
  code: 'invalid-request',
  severity: 'error',
  title: say`The server says the request is malformed`,
  refs: ['RFC 6750 §3.1'],
  detect(ctx) {
    const e = findBearerError(ctx, 'invalid_request');
    if (!e) return undefined;
    const c = ctx.creds;
    const ways = c ? [c.authorization ? say`the Authorization header` : '', c.queryTokens.includes('access_token') ? say`the access_token query parameter` : '', /(^|&)access_token=/.test(ctx.request?.body ?? '') ? say`the form body` : ''].filter((w) => w !== '') : [];
    const several = ways.length > 1 ? say` You sent the token in ${joinSaid(ways, ' and ')}: use exactly one method (RFC 6750 §2).` : '';
    return {
      detail: say`The ${e.challenge.scheme} challenge carries error="invalid_request": a required parameter is missing or repeated, the token was sent in more than one way, or the request is otherwise malformed. Re-authenticating will not help; fix the request.${said(e)}${several}${statusNote(ctx.status, 400, say`invalid_request`)}`,
    };
  },
});
