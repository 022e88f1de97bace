// Paths inside one function (linter-notes §D.10.1): a challenge counts only when it is set on
// every feasible path to the emission. A write dominates a target when every path from the
// function's start to the target passes through it: not inside a branch, a loop body, a catch,
// the right side of `&&`/`||`, or a callback that the target is not itself inside.
import type { TSESTree } from '@typescript-eslint/types';
import { isFunction, parentOf, type Node } from './ast';
import { spend } from './budget';

function inside(inner: Node, outer: Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** Whether a statement leaves its block on every path (return, throw, or both branches do). */
export function alwaysExits(s: Node | null | undefined): boolean {
  if (!s) return false;
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  if (s.type === 'BlockStatement') return s.body.some((x) => alwaysExits(x));
  if (s.type === 'IfStatement') return !!s.alternate && alwaysExits(s.consequent) && alwaysExits(s.alternate);
  return false;
}

/**
 * Whether the step from `child` up to its parent `p` is unconditional: `child` runs whenever
 * `p` runs (or whenever control goes on past `p`, for a branch whose sibling always exits).
 */
function unconditionalStep(p: Node, child: Node): boolean {
  switch (p.type) {
    case 'IfStatement':
      if (child === p.test) return true;
      // if (a) { set } else { return }: past the if, the set has run
      return child === p.consequent ? alwaysExits(p.alternate) : alwaysExits(p.consequent);
    case 'ConditionalExpression':
      return child === p.test;
    case 'LogicalExpression':
      return child === p.left;
    case 'SwitchCase':
      return child === p.test;
    case 'SwitchStatement':
      return child === p.discriminant;
    case 'ForStatement':
      return child === p.init;
    case 'ForInStatement':
    case 'ForOfStatement':
      return child === p.right;
    case 'WhileStatement':
      return child === p.test;
    case 'CatchClause':
      return false;
    case 'ChainExpression':
      return false;
    case 'TryStatement':
      return child === p.block || child === p.finalizer;
    default:
      return !isFunction(p);
  }
}

/** A test the caller accepts as holding on the paths it cares about (`status === 401` for a 401). */
export type HoldingTest = (test: Node, positive: boolean) => boolean;

/** Whether every step from `node` up to (not including) `top` is unconditional (or under a test that `holds`). */
export function unconditionalWithin(node: Node, top: Node, holds?: HoldingTest): boolean {
  let child = node;
  for (let p = parentOf(node); p && p !== top; child = p, p = parentOf(p)) {
    spend(1);
    if (unconditionalStep(p, child)) continue;
    if (holds && (p.type === 'IfStatement' || p.type === 'ConditionalExpression') && child !== p.test && holds(p.test, child === p.consequent)) continue;
    if (holds && p.type === 'LogicalExpression' && p.operator === '&&' && child === p.right && holds(p.left, true)) continue;
    return false;
  }
  return true;
}

function lowestCommonAncestor(a: Node, b: Node): Node | null {
  for (let p: Node | null = a; p; p = parentOf(p)) {
    spend(1);
    if (inside(b, p)) return p;
  }
  return null;
}

/** The child of `top` on the way up from `node` (node itself when its parent is top). */
function childUnder(node: Node, top: Node): Node | undefined {
  let c: Node = node;
  for (let p = parentOf(node); p; c = p, p = parentOf(p)) {
    spend(1);
    if (p === top) return c;
  }
  return undefined;
}

/**
 * Where two nodes meet: `first` runs before `second` on every path through `lca` when they sit in
 * order in a sequence, or `first` is the part a branch evaluates first (an if's test, the left of
 * `&&`); two branches of one if, conditional or logical expression never both run.
 */
function orderedAt(lca: Node, first: Node, second: Node): boolean {
  const a = childUnder(first, lca);
  const b = childUnder(second, lca);
  if (!a || !b || a === b) return true;
  switch (lca.type) {
    case 'IfStatement':
    case 'ConditionalExpression':
      return a === lca.test;
    case 'LogicalExpression':
      return a === lca.left;
    case 'SwitchStatement':
      return a === lca.discriminant;
    case 'TryStatement':
      return false;
    default:
      return a.range[1] <= b.range[0];
  }
}

/** Whether `write` runs on every path that reaches `target` (which comes after it). */
export function dominates(write: Node, target: Node, holds?: HoldingTest): boolean {
  const lca = lowestCommonAncestor(write, target);
  if (!lca) return false;
  if (write.range[0] > target.range[0] && !inside(target, write)) return false;
  return unconditionalWithin(write, lca, holds) && (inside(target, write) || orderedAt(lca, write, target));
}

/** Whether `write`, after `from`, runs on every path from `from` on (a header set before the response is sent). */
export function followsAlways(from: Node, write: Node): boolean {
  const lca = lowestCommonAncestor(write, from);
  if (!lca) return false;
  if (!unconditionalWithin(write, lca) || !orderedAt(lca, from, write)) return false;
  // nothing between them leaves the block
  if (lca.type === 'BlockStatement' || lca.type === 'Program') {
    const body = (lca as TSESTree.BlockStatement).body as Node[];
    const i = body.findIndex((s) => inside(from, s));
    const j = body.findIndex((s) => inside(write, s));
    if (i >= 0 && j >= 0 && body.slice(i + 1, j).some((s) => alwaysExits(s))) return false;
  }
  return true;
}
