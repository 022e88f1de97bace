import { isCredentialName, isSecretHeader } from '../redact';
import { joinSaid, say } from '../say';
import { defineDetector } from '../explain-context';

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * A redirect to another origin removed credential headers (Authorization, cookies, API keys),
 * and the final answer is 401. Says what was removed, and what went on to the other origin
 * when the client that made the capture forwarded some (curl sends X-API-Key on).
 */
export default defineDetector({
  code: 'credentials-dropped-on-redirect',
  severity: 'error',
  title: say`A redirect to another origin dropped your credentials`,
  refs: ['RFC 9110 §15.4', 'RFC 9110 §11.6.2'],
  detect(ctx) {
    if (ctx.status !== 401) return undefined;
    const hops = ctx.response.redirects;
    let dropped = [...new Set(hops.flatMap((h) => h.dropped ?? []))];
    const kept = [...new Set(hops.flatMap((h) => h.kept ?? []))];
    if (dropped.length === 0 && hops.length > 0 && ctx.original && ctx.request && ctx.original !== ctx.request) {
      const has = (hs: Array<[string, string]>, n: string): boolean => hs.some(([k]) => k.toLowerCase() === n.toLowerCase());
      const credential = (n: string): boolean => isSecretHeader(n) || isCredentialName(n);
      dropped = [...new Set(ctx.original.headers.map(([n]) => n).filter((n) => credential(n) && !has(ctx.request?.headers ?? [], n)))];
    }
    if (dropped.length === 0) return undefined;
    const from = ctx.original ? origin(ctx.original.url) : say`the first origin`;
    const to = ctx.request ? origin(ctx.request.url) : (hops[hops.length - 1]?.location ?? say`another origin`);
    const chain = joinSaid(hops.map((h) => say`${h.status} → ${h.location}`), ', ');
    const names = joinSaid(dropped, ' and ');
    const claim = kept.length === 0
      ? say`so your credentials did not reach the other site`
      : say`but ${joinSaid(kept, ' and ')} ${kept.length > 1 ? say`were` : say`was`} sent on to ${to}: that origin received ${kept.length > 1 ? say`those credentials` : say`that credential`} (the client that made this capture forwards headers it does not know to be credentials; treat ${kept.length > 1 ? say`them` : say`it`} as exposed)`;
    return {
      detail: say`The request to ${from} was redirected (${chain}) to ${to}. Because the origin changed, ${names} ${dropped.length > 1 ? say`were` : say`was`} removed before following, ${claim}, and the new origin answered 401. Send the request to the final URL directly (often a trailing slash, http→https, or www. difference), or fix the base URL.`,
    };
  },
});
