import { say } from '../say';
import { defineDetector } from '../explain-context';

/** 401 without WWW-Authenticate, or 407 without Proxy-Authenticate. */
export default defineDetector({
  code: 'challenge-missing',
  severity: 'warning',
  title: say`The server sent no challenge`,
  refs: ['RFC 9110 §11.6.1', 'RFC 9110 §15.5.2'],
  detect(ctx) {
    if (ctx.status === 401 && ctx.www.every((l) => l.value.trim() === '')) {
      return {
        title: say`401 without a WWW-Authenticate challenge`,
        detail: say`The server answered 401 but did not say which authentication scheme it accepts: a 401 must carry WWW-Authenticate with at least one challenge. Clients cannot pick a scheme, and tools that retry with credentials will not. This is a server bug worth reporting; meanwhile use the scheme the API documentation names (most JSON APIs want "Authorization: Bearer <token>").`,
      };
    }
    if (ctx.status === 407 && ctx.proxy.every((l) => l.value.trim() === '')) {
      return {
        title: say`407 without a Proxy-Authenticate challenge`,
        detail: say`A proxy answered 407 but did not say which scheme it accepts: a 407 must carry Proxy-Authenticate. Ask the proxy administrator which credentials it wants (often Basic), and send them in Proxy-Authorization or in the proxy URL (http://user:password@proxy:port).`,
        refs: ['RFC 9110 §11.7.1', 'RFC 9110 §15.5.8'],
      };
    }
    return undefined;
  },
});
