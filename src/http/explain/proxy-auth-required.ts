import { say } from '../say';
import { defineDetector, describeChallenges } from '../explain-context';

/** 407 and its Proxy-Authenticate challenge. */
export default defineDetector({
  code: 'proxy-auth-required',
  severity: 'error',
  title: say`A proxy requires authentication`,
  refs: ['RFC 9110 §15.5.8', 'RFC 9110 §11.7.1'],
  detect(ctx) {
    if (ctx.status !== 407) return undefined;
    const asked = ctx.proxy.length > 0 ? say`It asks for: ${describeChallenges(ctx.proxy)}.` : say`It did not say which scheme it accepts.`;
    const sent = ctx.creds?.proxyAuthorization;
    const tried = sent ? say` You sent Proxy-Authorization (${sent.scheme || say`no scheme`}), and the proxy refused it: check the proxy user and password.` : '';
    return {
      detail: say`The 407 comes from a proxy between you and the server, not from the server itself: your request never reached the server. ${asked}${tried} Configure the proxy credentials (for example HTTPS_PROXY=http://user:password@proxy:port, or a Proxy-Authorization header). The server's own Authorization header is not read by the proxy.`,
      refs: ['RFC 9110 §15.5.8', 'RFC 9110 §11.7.1', 'RFC 9110 §11.7.2'],
    };
  },
});
