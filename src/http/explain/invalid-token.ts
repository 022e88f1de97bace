import { say } from '../say';
import { said, findBearerError, statusNote } from '../bearer-error';
import { defineDetector } from '../explain-context';

/** Bearer error="invalid_token". */
export default defineDetector({
  code: 'invalid-token',
  severity: 'error',
  title: say`The server says the access token is invalid`,
  refs: ['RFC 6750 §3.1'],
  detect(ctx) {
    const e = findBearerError(ctx, 'invalid_token');
    if (!e) return undefined;
    return {
      title: e.description ? say`Invalid token: ${e.description.slice(0, 120)}` : say`The server says the access token is invalid`,
      detail: say`The ${e.challenge.scheme} challenge carries error="invalid_token": the token is expired, revoked, malformed, or not meant for this resource.${said(e)} Get a new access token (refresh it or log in again) and resend.${statusNote(ctx.status, 401, say`invalid_token`)}`,
    };
  },
});
