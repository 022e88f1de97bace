import { joinSaid, quoting, say } from '../say';
import { defineDetector } from '../explain-context';

/** The request's own Authorization / Proxy-Authorization value is malformed. */
export default defineDetector({
  code: 'credentials-malformed',
  severity: 'error',
  title: say`The request's credentials are malformed`,
  refs: ['RFC 9110 §11.4'],
  detect(ctx) {
    const found = [ctx.creds?.authorization, ctx.creds?.proxyAuthorization].filter((c) => c !== undefined && c.issues.length > 0);
    if (found.length === 0) return undefined;
    const refs = new Set<string>(['RFC 9110 §11.4']);
    const parts: string[] = [];
    for (const c of found) {
      if (!c) continue;
      for (const i of c.issues) {
        parts.push(say`${c.header}: ${quoting(i.message)}`);
        for (const m of i.message.matchAll(/RFC (\d+) (§[\d.]+)/g)) refs.add(say`RFC ${m[1]} ${m[2]}`);
      }
    }
    const first = found[0];
    const title = first?.issues[0]?.code === 'doubled-scheme'
      ? say`The scheme is written twice in ${first.header}`
      : say`The ${first?.header ?? say`Authorization`} header is malformed`;
    return {
      title,
      severity: ctx.status >= 300 ? 'error' : 'warning',
      detail: say`${joinSaid(parts, '. ')}. The server cannot read these credentials, so it treats the request as unauthenticated. Fix the header (usually the variable or code that builds it) and resend.`,
      refs: [...refs],
    };
  },
});
