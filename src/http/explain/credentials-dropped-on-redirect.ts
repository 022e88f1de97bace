import { defineDetector } from '../explain-context';

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** A redirect to another origin removed Authorization (or cookies), and the final answer is 401. */
export default defineDetector({
  code: 'credentials-dropped-on-redirect',
  severity: 'error',
  title: 'A redirect to another origin dropped your credentials',
  refs: ['RFC 9110 §15.4', 'RFC 9110 §11.6.2'],
  detect(ctx) {
    if (ctx.status !== 401) return undefined;
    const hops = ctx.response.redirects;
    let dropped = [...new Set(hops.flatMap((h) => h.dropped ?? []))];
    if (dropped.length === 0 && hops.length > 0 && ctx.original && ctx.request && ctx.original !== ctx.request) {
      const has = (hs: Array<[string, string]>, n: string): boolean => hs.some(([k]) => k.toLowerCase() === n);
      dropped = ['authorization', 'cookie'].filter((n) => has(ctx.original?.headers ?? [], n) && !has(ctx.request?.headers ?? [], n));
    }
    if (dropped.length === 0) return undefined;
    const from = ctx.original ? origin(ctx.original.url) : 'the first origin';
    const to = ctx.request ? origin(ctx.request.url) : (hops[hops.length - 1]?.location ?? 'another origin');
    const chain = hops.map((h) => `${h.status} → ${h.location}`).join(', ');
    return {
      detail: `The request to ${from} was redirected (${chain}) to ${to}. Because the origin changed, ${dropped.join(' and ')} ${dropped.length > 1 ? 'were' : 'was'} removed before following, so credentials are not leaked to another site, and the new origin answered 401. Send the request to the final URL directly (often a trailing slash, http→https, or www. difference), or fix the base URL.`,
    };
  },
});
