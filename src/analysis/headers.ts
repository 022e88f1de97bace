// Recognising header names and header containers (object literals, arrays, Headers).
import type { TSESTree } from '@typescript-eslint/types';
import { keyName, propName, unwrap, type Node } from './ast';
import { staticString, type Bindings } from './constants';
import { merge, noInline, type HeaderKind, type Inline } from './model';

export function headerKindOfName(name: string): HeaderKind | 'other' {
  const n = name.trim().toLowerCase();
  if (n === 'www-authenticate') return 'www';
  if (n === 'proxy-authenticate') return 'proxy';
  return 'other';
}

/** The header a name expression denotes: static string, http2 constant, or unknown. */
export function headerNameKind(node: Node, b: Bindings): HeaderKind | 'other' | 'unknown' {
  const n = unwrap(node);
  const s = staticString(n, b);
  if (s && s.exact) return headerKindOfName(s.text);
  // const headerName = proxyMode ? 'Proxy-Authenticate' : 'WWW-Authenticate': one of the two challenge headers
  const init = n.type === 'Identifier' && b.mayHold(n.name, isChoice) ? b.get(n) : undefined;
  const cond = init ? unwrap(init) : n;
  if (cond.type === 'ConditionalExpression') {
    const kinds = [cond.consequent, cond.alternate].map((x) => headerNameKind(x, b));
    if (kinds.every((k) => k === 'www' || k === 'proxy')) return kinds.includes('www') ? 'www' : 'proxy';
  }
  // const headerName = options.header || defaultHeaderName: a configurable name defaulting to a challenge header
  if (cond.type === 'LogicalExpression' && (cond.operator === '||' || cond.operator === '??')) {
    const k = headerNameKind(cond.right, b);
    if (k === 'www' || k === 'proxy') return k;
  }
  const name = n.type === 'Identifier' ? n.name : n.type === 'MemberExpression' ? propName(n) : undefined;
  if (name === 'HTTP2_HEADER_WWW_AUTHENTICATE') return 'www';
  if (name === 'HTTP2_HEADER_PROXY_AUTHENTICATE') return 'proxy';
  if (name && /^[A-Z][A-Z0-9_]*$/.test(name)) return 'other';
  return 'unknown';
}

/** A name's initialiser headerNameKind() looks into (a conditional or a default). */
function isChoice(init: Node): boolean {
  const u = unwrap(init);
  return u.type === 'ConditionalExpression' || u.type === 'LogicalExpression';
}

function add(inline: Inline, kind: HeaderKind, valueNode: Node | undefined, b: Bindings): void {
  inline[kind] = 'yes';
  if (!valueNode) return;
  const v = unwrap(valueNode);
  const values = v.type === 'ArrayExpression' ? v.elements : [v];
  for (const el of values) {
    if (!el || el.type === 'SpreadElement') continue;
    const s = staticString(el, b);
    if (s) inline.values.push({ node: el, value: s, header: kind });
  }
}

function mayAll(inline: Inline): void {
  inline.www = merge(inline.www, 'may');
  inline.proxy = merge(inline.proxy, 'may');
}

/** Headers given as an object literal, an array of pairs, a flat array, `new Headers(...)`, or unknown. */
export function headersFrom(node: Node | undefined, b: Bindings, inline: Inline = noInline()): Inline {
  if (!node) return inline;
  const n = unwrap(node);
  if (n.type === 'ObjectExpression') {
    for (const p of n.properties) {
      if (p.type === 'SpreadElement') {
        mayAll(inline);
        continue;
      }
      const k = keyName(p);
      const kind = k !== undefined ? headerKindOfName(k) : p.computed ? headerNameKind(p.key, b) : 'unknown';
      if (kind === 'www' || kind === 'proxy') add(inline, kind, p.value, b);
      else if (kind === 'unknown') mayAll(inline);
    }
    return inline;
  }
  if (n.type === 'ArrayExpression') {
    const els = n.elements;
    if (els.every((e) => e && unwrap(e).type === 'ArrayExpression')) {
      for (const e of els) {
        const pair = unwrap(e as Node) as TSESTree.ArrayExpression;
        const [k, v] = pair.elements;
        if (!k || k.type === 'SpreadElement') continue;
        const kind = headerNameKind(k, b);
        if (kind === 'www' || kind === 'proxy') add(inline, kind, v && v.type !== 'SpreadElement' ? v : undefined, b);
        else if (kind === 'unknown') mayAll(inline);
      }
      return inline;
    }
    for (let i = 0; i + 1 < els.length; i += 2) {
      const k = els[i];
      const v = els[i + 1];
      if (!k || k.type === 'SpreadElement') {
        mayAll(inline);
        continue;
      }
      const kind = headerNameKind(k, b);
      if (kind === 'www' || kind === 'proxy') add(inline, kind, v && v.type !== 'SpreadElement' ? v : undefined, b);
      else if (kind === 'unknown') mayAll(inline);
    }
    return inline;
  }
  if (n.type === 'NewExpression' && n.callee.type === 'Identifier' && n.callee.name === 'Headers') {
    if (n.arguments.length === 0) {
      mayAll(inline); // filled later through .set(): unknown here
      return inline;
    }
    return headersFrom(n.arguments[0], b, inline);
  }
  if (n.type === 'Literal' && n.value === null) return inline;
  if (n.type === 'Identifier' && n.name === 'undefined') return inline;
  mayAll(inline);
  return inline;
}
