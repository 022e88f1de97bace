// Small AST utilities over typescript-estree nodes: one walk that records parents,
// member-chain helpers, and static evaluation of status and string expressions.
import { visitorKeys } from '@typescript-eslint/visitor-keys';
import type { TSESTree } from '@typescript-eslint/types';
import { spend } from './budget';

export type Node = TSESTree.Node;
export type FunctionLike = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

/**
 * Parents are stored on the nodes themselves, as ESLint does: a WeakMap of millions of entries
 * costs the garbage collector more than the whole analysis.
 */
export function parentOf(node: Node): Node | null {
  return (node as { parent?: Node | null }).parent ?? null;
}

/** Visits every node once, depth first, recording parents. Iterative: deep nesting cannot overflow the stack. */
export function walk(root: Node, visit: (node: Node, parent: Node | null) => void): void {
  const nodes: Node[] = [root];
  const ups: Array<Node | null> = [null];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = ups.pop()!;
    spend(1);
    (node as { parent?: Node | null }).parent = parent;
    visit(node, parent);
    const keys = visitorKeys[node.type];
    if (!keys) continue;
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!] as Node | Node[] | null | undefined;
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) {
          const c = child[i];
          if (c && typeof c.type === 'string') {
            nodes.push(c);
            ups.push(node);
          }
        }
      } else if (typeof child.type === 'string') {
        nodes.push(child);
        ups.push(node);
      }
    }
  }
}

export function isFunction(node: Node): node is FunctionLike {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

export function enclosingFunction(node: Node): FunctionLike | null {
  for (let p = parentOf(node); p; p = parentOf(p)) if (isFunction(p)) return p;
  return null;
}

/** The property name of a non-computed member access, or of a computed one with a literal key. */
export function propName(node: Node): string | undefined {
  if (node.type !== 'MemberExpression') return undefined;
  if (!node.computed && node.property.type === 'Identifier') return node.property.name;
  if (node.property.type === 'Literal') return String(node.property.value);
  return undefined;
}

export function unwrap(node: Node): Node {
  let n = node;
  for (;;) {
    if (n.type === 'TSAsExpression' || n.type === 'TSNonNullExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion') n = n.expression;
    else if (n.type === 'AwaitExpression') n = n.argument;
    else if (n.type === 'ChainExpression') n = n.expression;
    else if (n.type === 'SequenceExpression' && n.expressions.length > 0) n = n.expressions[n.expressions.length - 1]!; // (0, mod.fn)(...)
    else return n;
  }
}

/** `a.b.c` -> 'a' ; `a.b().c` -> 'a' through calls too ; `this.res` -> 'this.res'. */
export function rootName(node: Node): string | undefined {
  let n = unwrap(node);
  for (;;) {
    if (n.type === 'Identifier') return n.name;
    if (n.type === 'MemberExpression') {
      if (n.object.type === 'ThisExpression') {
        const p = propName(n);
        return p ? `this.${p}` : undefined;
      }
      n = unwrap(n.object);
    } else if (n.type === 'CallExpression') {
      if (n.callee.type !== 'MemberExpression') return undefined;
      n = unwrap(n.callee.object);
    } else return undefined;
  }
}

/** Dotted text of a member path made only of identifiers, e.g. 'req.headers.authorization'. */
export function memberPath(node: Node): string | undefined {
  const n = unwrap(node);
  if (n.type === 'Identifier') return n.name;
  if (n.type === 'ThisExpression') return 'this';
  if (n.type === 'MemberExpression') {
    const base = memberPath(n.object);
    const p = propName(n);
    return base !== undefined && p !== undefined ? `${base}.${p}` : undefined;
  }
  return undefined;
}

/** The callee name of a call: `f(x)` -> 'f', `a.b.f(x)` -> 'f'. */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const c = unwrap(call.callee);
  if (c.type === 'Identifier') return c.name;
  if (c.type === 'MemberExpression') return propName(c);
  return undefined;
}

export function objectProps(node: Node): TSESTree.ObjectLiteralElement[] | undefined {
  const n = unwrap(node);
  return n.type === 'ObjectExpression' ? n.properties : undefined;
}

export function keyName(prop: TSESTree.Property): string | undefined {
  if (!prop.computed && prop.key.type === 'Identifier') return prop.key.name;
  if (prop.key.type === 'Literal') return String(prop.key.value);
  return undefined;
}

export function findProp(node: Node, name: string): TSESTree.Property | undefined {
  const props = objectProps(node);
  if (!props) return undefined;
  for (const p of props) if (p.type === 'Property' && keyName(p)?.toLowerCase() === name.toLowerCase()) return p;
  return undefined;
}

/** Whether an object literal has a spread or a computed key we cannot name. */
export function hasUnknownKeys(node: Node): boolean {
  const props = objectProps(node);
  if (!props) return true;
  return props.some((p) => p.type === 'SpreadElement' || (p.type === 'Property' && keyName(p) === undefined));
}

export function isInside(inner: Node, outer: Node): boolean {
  return inner.range[0] >= outer.range[0] && inner.range[1] <= outer.range[1];
}

/** Calls `visit` on `root` and every node below it, depth first; stops early when `visit` returns true. */
export function someNode(root: Node, visit: (node: Node) => boolean | void): boolean {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    spend(1);
    if (visit(node) === true) return true;
    const keys = visitorKeys[node.type];
    if (!keys) continue;
    for (let k = keys.length - 1; k >= 0; k--) {
      const child = (node as unknown as Record<string, unknown>)[keys[k]!] as Node | Node[] | null | undefined;
      if (!child) continue;
      if (Array.isArray(child)) {
        for (let i = child.length - 1; i >= 0; i--) if (child[i] && typeof child[i]!.type === 'string') stack.push(child[i]!);
      } else if (typeof child.type === 'string') stack.push(child);
    }
  }
  return false;
}
