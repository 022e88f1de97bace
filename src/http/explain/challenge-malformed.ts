import { joinSaid, quoting, say } from '../say';
import { defineDetector } from '../explain-context';

/** A WWW-Authenticate / Proxy-Authenticate line that does not parse or breaks a scheme rule. */
export default defineDetector({
  code: 'challenge-malformed',
  severity: 'warning',
  title: say`The server's challenge is malformed`,
  refs: ['RFC 9110 §11.6.1'],
  detect(ctx) {
    const bad = [...ctx.www, ...ctx.proxy].flatMap((l) =>
      l.problems.filter((p) => p.level !== 'info').map((p) => ({ line: l, problem: p })),
    );
    if (bad.length === 0) return undefined;
    const refs = new Set<string>();
    for (const { line, problem } of bad) {
      refs.add(line.header.toLowerCase() === 'proxy-authenticate' ? 'RFC 9110 §11.7.1' : 'RFC 9110 §11.6.1');
      for (const m of problem.message.matchAll(/RFC (\d+) (§[\d.]+)/g)) refs.add(say`RFC ${m[1]} ${m[2]}`);
    }
    const list = bad.slice(0, 5).map(({ line, problem }) => say`${line.header}: ${quoting(problem.message)}`);
    const more = bad.length > 5 ? say` (and ${bad.length - 5} more)` : '';
    const onlyShould = bad.every((b) => b.problem.level === 'should');
    return {
      severity: onlyShould ? 'info' : 'warning',
      detail: say`${joinSaid(list, '. ')}${more}. Strict clients may ignore or misread this challenge; the server should fix it. Your credentials may still work if they match what the server expects.`,
      refs: [...refs],
    };
  },
});
