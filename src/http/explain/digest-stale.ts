import { say } from '../say';
import { findParam } from '../challenge';
import { defineDetector } from '../explain-context';

/** Digest stale=true: the nonce expired, not the password. */
export default defineDetector({
  code: 'digest-stale',
  severity: 'warning',
  title: say`Digest nonce is stale: retry with the new nonce`,
  refs: ['RFC 7616 §3.3'],
  detect(ctx) {
    for (const line of [...ctx.www, ...ctx.proxy]) {
      for (const c of line.challenges) {
        if (c.scheme.toLowerCase() !== 'digest') continue;
        const stale = findParam(c, 'stale');
        if (stale?.value.toLowerCase() !== 'true') continue;
        return {
          detail: say`The Digest challenge says stale=true: your username and password were right, but the nonce they were hashed with has expired. Recompute the response with the new nonce from this challenge and resend, without asking for the password again.`,
        };
      }
    }
    return undefined;
  },
});
