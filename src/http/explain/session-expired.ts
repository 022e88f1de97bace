import { say } from '../say';
import { defineDetector } from '../explain-context';

interface Cleared { name: string; how: string }

/** How a Set-Cookie value clears its cookie, if it does (RFC 6265 §5.2.1, §5.2.2). */
export function clearing(setCookie: string, now: Date): Cleared | undefined {
  const [first = '', ...attrs] = setCookie.split(';');
  const eq = first.indexOf('=');
  if (eq <= 0) return undefined;
  const name = first.slice(0, eq).trim();
  const value = first.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  for (const a of attrs) {
    const [k = '', v = ''] = a.split('=').map((s) => s.trim());
    if (k.toLowerCase() === 'max-age' && /^-?\d+$/.test(v) && Number(v) <= 0) return { name, how: say`Max-Age=${v}` };
    if (k.toLowerCase() === 'expires') {
      const t = new Date(v);
      if (!Number.isNaN(t.getTime()) && t.getTime() <= now.getTime()) return { name, how: say`Expires=${v}, in the past` };
    }
  }
  if (value === '' || /^(deleted|null|undefined|expired)$/i.test(value)) return { name, how: 'an empty value' };
  return undefined;
}

/** Cookie credentials were sent, and the response clears or expires that cookie. */
export default defineDetector({
  code: 'session-expired',
  severity: 'error',
  title: say`Your session cookie was cleared: the session ended`,
  refs: ['RFC 6265 §5.2.1', 'RFC 6265 §5.2.2'],
  detect(ctx) {
    const sent = ctx.creds?.cookies ?? [];
    if (sent.length === 0) return undefined;
    const names = new Set(sent.map((c) => c.name));
    const cleared = ctx.headers('set-cookie').map((v) => clearing(v, ctx.now)).filter((c): c is Cleared => c !== undefined && names.has(c.name));
    if (cleared.length === 0) return undefined;
    const list = cleared.map((c) => say`"${c.name}" (${c.how})`).join(', ');
    return {
      title: say`The server cleared cookie ${cleared.map((c) => c.name).join(say`, `)}: the session ended`,
      severity: ctx.status >= 300 ? 'error' : 'warning',
      detail: say`You sent cookie${cleared.length > 1 ? say`s` : say``} ${cleared.map((c) => say`"${c.name}"`).join(say`, `)}, and the response deletes ${cleared.length > 1 ? say`them` : say`it`}: ${list}. The server no longer accepts that session (it expired, was logged out, or was revoked). Log in again to get a new session cookie, and store the cookies the login response sets.`,
    };
  },
});
