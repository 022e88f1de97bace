import { say } from '../say';
import { said, findBearerError, statusNote } from '../bearer-error';
import { defineDetector } from '../explain-context';
import type { AuthUse } from '../types';

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
    const hint = scopeHint(ctx.exchange.auth ?? [], required);
    return {
      title: required.length > 0 ? say`The token lacks scope ${required.join(say` `)}` : say`The token lacks a required scope`,
      detail: say`The ${e.challenge.scheme} challenge carries error="insufficient_scope": your identity is known, but the token does not grant this operation.${scopes}${said(e)} ${hint || say` Request a token with the needed scopes (the scope parameter of the authorization request); logging in again with the same scopes will not help.`}${statusNote(ctx.status, 403, say`insufficient_scope`)}`,
    };
  },
});

/** With {{$auth.token("id")}}: the scope to add to `Scope` in the env file. */
function scopeHint(auth: AuthUse[], required: string[]): string {
  const a = auth[0];
  if (!a) return '';
  const asked = (a.scope ?? '').split(' ').filter((s) => s !== '');
  const add = required.filter((s) => !asked.includes(s));
  const where = `Security.Auth."${a.id}" (${a.file.split(/[\\/]/).pop()}:${a.line})`;
  if (add.length > 0) return ` Add ${add.join(' ')} to "Scope" in ${where} (it is now ${a.scope ? `"${a.scope}"` : 'unset'}); AuthLint then gets a new token with that scope.`;
  if (required.length > 0) return ` "Scope" in ${where} already asks for ${required.join(' ')}${a.grantedScope !== undefined ? `, but the server granted only "${a.grantedScope}"` : ''}: allow that scope for the client at the authorization server.`;
  return ` Check "Scope" in ${where}: the server did not say which scope it wants.`;
}
