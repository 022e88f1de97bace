// Call chains: `res.set(...).status(401).json(...)`.
import type { TSESTree } from '@typescript-eslint/types';
import { parentOf, propName, unwrap, type Node } from '../ast';

/** Methods that send the response: headers written after them do not count. */
export const COMMIT_METHODS = new Set([
  'send', 'json', 'jsonp', 'end', 'sendStatus', 'render', 'redirect', 'sendFile', 'download', 'write', 'writeHead', 'serialize', 'html', 'text', 'body',
]);

export interface ChainInfo {
  top: Node;
  /** Calls outward of the given call in the chain, in order. */
  outer: TSESTree.CallExpression[];
}

export function chainOf(call: TSESTree.CallExpression): ChainInfo {
  const outer: TSESTree.CallExpression[] = [];
  let cur: Node = call;
  for (;;) {
    let p = parentOf(cur);
    while (p && (p.type === 'TSNonNullExpression' || p.type === 'ChainExpression' || p.type === 'TSAsExpression')) {
      cur = p;
      p = parentOf(p);
    }
    if (p && p.type === 'MemberExpression' && p.object === cur) {
      const pp = parentOf(p);
      if (pp && pp.type === 'CallExpression' && pp.callee === p) {
        outer.push(pp);
        cur = pp;
        continue;
      }
    }
    return { top: cur, outer };
  }
}

/** Position of the first committing call outward in the chain, or undefined. */
export function commitPosition(chain: ChainInfo): number | undefined {
  for (const c of chain.outer) {
    const m = propName(unwrap(c.callee));
    if (m && COMMIT_METHODS.has(m)) return (unwrap(c.callee) as TSESTree.MemberExpression).property.range[0];
  }
  return undefined;
}

/** The first argument of the first outer call named json/send (the body), if any. */
export function bodyArg(chain: ChainInfo): Node | undefined {
  for (const c of chain.outer) {
    const m = propName(unwrap(c.callee));
    if ((m === 'json' || m === 'send' || m === 'jsonp') && c.arguments[0]) return c.arguments[0];
  }
  return undefined;
}
