import { say } from '../say';
import { findParam } from '../challenge';
import { defineDetector } from '../explain-context';

/** The challenge names resource_metadata (RFC 9728 §5.1): where to learn how to get a token. */
export default defineDetector({
  code: 'resource-metadata',
  severity: 'info',
  title: say`The server says where to learn how to get a token`,
  refs: ['RFC 9728 §5.1'],
  detect(ctx) {
    for (const line of [...ctx.www, ...ctx.proxy]) {
      for (const c of line.challenges) {
        const p = findParam(c, 'resource_metadata');
        if (!p) continue;
        return {
          detail: say`The ${c.scheme} challenge names resource_metadata="${p.value}". Fetch that document: it lists the authorization servers that issue tokens for this resource and the scopes it supports. Check that its "resource" value equals the URL you called (RFC 9728 §3.3), then get a token from one of those servers.`,
          refs: ['RFC 9728 §5.1', 'RFC 9728 §3.3'],
        };
      }
    }
    return undefined;
  },
});
