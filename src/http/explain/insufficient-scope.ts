import { say } from '../say';
import { said, findBearerError, statusNote } from '../bearer-error';
import { defineDetector } from '../explain-context';

/** Bearer error="insufficient_scope": required scope vs the token's scope/scp. */
export default defineDetector({
  code: 'insufficient-scope',
  severity: 'error',
  title: say`The token lacks a required scope`,
  refs: ['RFC 6750 §3.1'],
  detect(ctx) {
    const e = findBearerError(ctx, 'insufficient_scope');
    if (!e) return undefined;
    const required = (e.scope ?? '').split(' ').filter((s) => s !== '');
    const have = ctx.jwt?.token.scopes;
    let scopes: string;
    if (required.length > 0 && have) {
      const missing = required.filter((s) => !have.includes(s));
      scopes = say` Required: ${required.join(say` `)}. The token has: ${have.length > 0 ? have.join(say` `) : say`(none)`}.${missing.length > 0 ? say` Missing: ${missing.join(say` `)}.` : say``}`;
    } else if (required.length > 0) {
      scopes = say` Required: ${required.join(say` `)}. The token's own scopes could not be read (it is not a JWT, or has no scope/scp claim).`;
    } else if (have) {
      scopes = say` The server did not name the scope it wants; the token has: ${have.length > 0 ? have.join(say` `) : say`(none)`}.`;
    } else {
      scopes = '';
    }
    return {
      title: required.length > 0 ? say`The token lacks scope ${required.join(say` `)}` : say`The token lacks a required scope`,
      detail: say`The ${e.challenge.scheme} challenge carries error="insufficient_scope": your identity is known, but the token does not grant this operation.${scopes}${said(e)} Request a token with the needed scopes (the scope parameter of the authorization request); logging in again with the same scopes will not help.${statusNote(ctx.status, 403, say`insufficient_scope`)}`,
    };
  },
});
