import { say } from '../say';
import { describeCredentials, hasOriginCredentials } from '../credentials';
import { defineDetector } from '../explain-context';

/** 403 with credentials sent (or with the request unknown): permission, not identity. */
export default defineDetector({
  code: 'forbidden',
  severity: 'error',
  title: say`Forbidden: you are identified but not allowed`,
  refs: ['RFC 9110 §15.5.4'],
  unless: ['insufficient-scope', 'login-redirect'],
  detect(ctx) {
    if (ctx.status !== 403) return undefined;
    if (!ctx.creds) {
      return {
        title: say`Forbidden`,
        detail: say`The server understood the request and refuses it. The request was not given (pass it with --request), so whether credentials were sent is unknown. If they were, they are valid but not enough: the account lacks a role or permission, or the request is blocked for another reason (CSRF check, IP allow-list, plan limit). Re-authenticating with the same credentials will not help.`,
      };
    }
    if (!hasOriginCredentials(ctx.creds)) return undefined;
    return {
      detail: say`You sent ${describeCredentials(ctx.creds).join(say`, `)}, and the server refuses the request anyway: 403 means the credentials were understood but do not grant access. Re-authenticating with the same account will not help. Ask for the missing role or permission, use an account that has it, or check for non-credential reasons (CSRF token, IP allow-list, plan limits, resource ownership).`,
    };
  },
});
