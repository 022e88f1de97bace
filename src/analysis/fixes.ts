// Quick fixes as plain text edits, in each framework's own idiom.
import { nullProto } from './lookup';
import type { TSESTree } from '@typescript-eslint/types';
import { findProp, isFunction, parentOf, unwrap, type Node } from './ast';
import type { Emission, HeaderKind } from './model';
import { templateInfo } from './frameworks/templates';
import { stringValued } from './frameworks/calls';
import { nestCommonImport, quotedParam } from './text-scan';
import type { Fix, TextEdit } from './types';

export const HEADER_NAME: Record<HeaderKind, string> = { www: 'WWW-Authenticate', proxy: 'Proxy-Authenticate' };

export function jsString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function insertIntoObject(obj: TSESTree.ObjectExpression, prop: string, text: string): TextEdit {
  if (obj.properties.length === 0) return { range: [obj.range[0], obj.range[1]], text: `{ ${prop} }` };
  const first = obj.properties[0]!;
  void text;
  return { range: [first.range[0], first.range[0]], text: `${prop}, ` };
}

function lineIndent(text: string, pos: number): string {
  const start = text.lastIndexOf('\n', pos - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))![0];
}

/** Insert a statement before the statement holding `node`; wrap a brace-less branch in a block. */
export function insertStatementBefore(text: string, node: Node, statement: string): TextEdit[] {
  let stmt: Node = node;
  for (let p = parentOf(node); p; stmt = p, p = parentOf(p)) {
    if (p.type === 'BlockStatement' || p.type === 'Program' || p.type === 'SwitchCase') break;
    if (p.type === 'IfStatement' || p.type === 'ForStatement' || p.type === 'WhileStatement') {
      if (stmt === p.test) continue;
      // brace-less branch: wrap in a block
      const s = stmt;
      return [
        { range: [s.range[0], s.range[0]], text: `{ ${statement} ` },
        { range: [s.range[1], s.range[1]], text: ' }' },
      ];
    }
    if (p.type === 'ArrowFunctionExpression' && p.body === stmt) {
      return [
        { range: [stmt.range[0], stmt.range[0]], text: `{ ${statement} return ` },
        { range: [stmt.range[1], stmt.range[1]], text: '; }' },
      ];
    }
  }
  const indent = lineIndent(text, stmt.range[0]);
  return [{ range: [stmt.range[0], stmt.range[0]], text: `${statement}\n${indent}` }];
}

function firstParam(fn: Node | null): string | undefined {
  for (let f = fn; f; f = parentOf(f)) {
    if (isFunction(f)) {
      const p = f.params[0];
      if (p && p.type === 'Identifier') return p.name;
      return undefined;
    }
  }
  return undefined;
}

function nestResponseParam(e: Emission): string | undefined {
  const fn = e.fn;
  if (!fn) return undefined;
  for (const p of fn.params) {
    const id = p.type === 'TSParameterProperty' ? p.parameter : p;
    const decorators = (p as { decorators?: TSESTree.Decorator[] }).decorators ?? [];
    if (id.type === 'Identifier' && decorators.some((d) => d.expression.type === 'CallExpression' && d.expression.callee.type === 'Identifier' && d.expression.callee.name === 'Res')) return id.name;
  }
  return undefined;
}

/** The edits that make the emission carry `header: challenge`. Undefined when there is no safe edit. */
export function addChallengeEdits(e: Emission, header: HeaderKind, challenge: string, text: string): TextEdit[] | undefined {
  // a status returned and sent elsewhere: the sending line serves every status, so no edit there
  if (e.guardAt) return undefined;
  try {
    return challengeEdits(e, header, challenge, text);
  } catch {
    return undefined; // a fix we cannot build is no reason to lose the finding
  }
}

function challengeEdits(e: Emission, header: HeaderKind, challenge: string, text: string): TextEdit[] | undefined {
  const prop = `${jsString(HEADER_NAME[header])}: ${jsString(challenge)}`;
  const node = e.node;
  const src = (n: Node) => text.slice(n.range[0], n.range[1]);
  switch (e.kind) {
    case 'write-head': {
      const call = node as TSESTree.CallExpression;
      const first = call.arguments[0] && unwrap(call.arguments[0]);
      // http2 stream.respond({ ':status': 401 }): field names are lower case in HTTP/2
      if (first && first.type === 'ObjectExpression') return [insertIntoObject(first, `${jsString(HEADER_NAME[header].toLowerCase())}: ${jsString(challenge)}`, text)];
      const headersArg = call.arguments.slice(1, 3).find((a) => !stringValued(a));
      if (!headersArg) {
        const last = call.arguments[call.arguments.length - 1]!;
        return [{ range: [last.range[1], last.range[1]], text: `, { ${prop} }` }];
      }
      const h = unwrap(headersArg);
      return h.type === 'ObjectExpression' ? [insertIntoObject(h, prop, text)] : undefined;
    }
    case 'http-error':
    case 'koa-throw': {
      if (node.type === 'ObjectExpression') {
        // throw { status: 401 }: add headers to the object
        const h = findProp(node, 'headers');
        if (h) return unwrap(h.value as Node).type === 'ObjectExpression' ? [insertIntoObject(unwrap(h.value as Node) as TSESTree.ObjectExpression, prop, text)] : undefined;
        return [insertIntoObject(node, `headers: { ${prop} }`, text)];
      }
      if (node.type !== 'CallExpression' && node.type !== 'NewExpression') return undefined;
      if (e.ownClass) return undefined;
      const call = node as TSESTree.CallExpression | TSESTree.NewExpression;
      const callee = unwrap(call.callee);
      if (e.kind === 'http-error' && callee.type === 'MemberExpression' && callee === e.anchor) {
        // createError.Unauthorized(msg) -> createError(401, msg, { headers })
        const args = call.arguments.map(src).join(', ');
        return [{ range: [node.range[0], node.range[1]], text: `${src(callee.object)}(${e.statuses[0]}${args ? `, ${args}` : ''}, { headers: { ${prop} } })` }];
      }
      if (e.kind === 'http-error' && callee.type === 'Identifier' && callee === e.anchor) return undefined; // a local error class
      const props = call.arguments.find((a) => unwrap(a).type === 'ObjectExpression');
      if (props) {
        const obj = unwrap(props) as TSESTree.ObjectExpression;
        const h = findProp(obj, 'headers');
        if (h && unwrap(h.value as Node).type === 'ObjectExpression') return [insertIntoObject(unwrap(h.value as Node) as TSESTree.ObjectExpression, prop, text)];
        if (h) return undefined;
        return [insertIntoObject(obj, `headers: { ${prop} }`, text)];
      }
      const last = call.arguments[call.arguments.length - 1];
      if (!last) return undefined;
      return [{ range: [last.range[1], last.range[1]], text: `, { headers: { ${prop} } }` }];
    }
    case 'boom': {
      if (header !== 'www') return undefined;
      const call = node as TSESTree.CallExpression;
      const [message, scheme] = call.arguments;
      if (scheme) return undefined;
      if (!message) return [{ range: [call.range[1] - 1, call.range[1] - 1], text: `null, [${jsString(challenge)}]` }];
      return [{ range: [message.range[1], message.range[1]], text: `, [${jsString(challenge)}]` }];
    }
    case 'helper-response': {
      const call = node as TSESTree.CallExpression;
      const second = unwrap(call.arguments[1]!);
      const third = call.arguments[2];
      if (second.type === 'ObjectExpression') {
        const h = findProp(second, 'headers');
        if (h && unwrap(h.value as Node).type === 'ObjectExpression') return [insertIntoObject(unwrap(h.value as Node) as TSESTree.ObjectExpression, prop, text)];
        if (h) return undefined;
        return [insertIntoObject(second, `headers: { ${prop} }`, text)];
      }
      if (third) {
        const t = unwrap(third);
        return t.type === 'ObjectExpression' ? [insertIntoObject(t, prop, text)] : undefined;
      }
      return [{ range: [call.arguments[1]!.range[1], call.arguments[1]!.range[1]], text: `, { ${prop} }` }];
    }
    case 'response-init': {
      const init = e.anchor && parentOf(parentOf(e.anchor) as Node);
      if (!init || init.type !== 'ObjectExpression') return undefined;
      const h = findProp(init, 'headers');
      if (h && unwrap(h.value as Node).type === 'ObjectExpression') return [insertIntoObject(unwrap(h.value as Node) as TSESTree.ObjectExpression, prop, text)];
      if (h) return undefined;
      return [insertIntoObject(init, `headers: { ${prop} }`, text)];
    }
    case 'status-call':
    case 'send-status':
    case 'sensible': {
      const r = e.receiver!;
      if (e.framework === 'hapi') {
        return [{ range: [e.chainTop.range[1], e.chainTop.range[1]], text: `.header(${jsString(HEADER_NAME[header])}, ${jsString(challenge)})` }];
      }
      const setter = e.framework === 'fastify' ? 'header' : e.framework === 'node-http' ? 'setHeader' : e.framework === 'hono' ? 'header' : e.framework === 'koa' ? 'set' : 'set';
      const call = `${r}.${setter}(${jsString(HEADER_NAME[header])}, ${jsString(challenge)})`;
      if (e.framework === 'hono' || e.framework === 'koa') return insertStatementBefore(text, e.node, `${call};`);
      const rootNode = receiverNode(e.node);
      if (!rootNode) return insertStatementBefore(text, e.node, `${call};`);
      return [{ range: [rootNode.range[0], rootNode.range[1]], text: call }];
    }
    case 'status-assign': {
      const r = e.receiver!;
      const setter = e.framework === 'koa' ? 'set' : e.framework === 'fastify' ? 'header' : 'setHeader';
      return insertStatementBefore(text, e.node, `${r}.${setter}(${jsString(HEADER_NAME[header])}, ${jsString(challenge)});`);
    }
    case 'nest-exception': {
      const res = nestResponseParam(e);
      if (res) return insertStatementBefore(text, e.node, `${res}.setHeader(${jsString(HEADER_NAME[header])}, ${jsString(challenge)});`);
      const fnParent = e.fn && parentOf(e.fn);
      if (fnParent && fnParent.type === 'MethodDefinition' && fnParent.key.type === 'Identifier' && fnParent.key.name === 'canActivate') {
        const ctxName = firstParam(e.fn);
        if (ctxName) return insertStatementBefore(text, e.node, `${ctxName}.switchToHttp().getResponse().setHeader(${jsString(HEADER_NAME[header])}, ${jsString(challenge)});`);
      }
      return undefined;
    }
    case 'hono-exception': {
      const c = firstParam(e.fn);
      if (!c) return undefined;
      return insertStatementBefore(text, e.node, `${c}.header(${jsString(HEADER_NAME[header])}, ${jsString(challenge)});`);
    }
    case 'error-assign': {
      const a = node as TSESTree.AssignmentExpression;
      const obj = unwrap((a.left as TSESTree.MemberExpression).object);
      const stmt = parentOf(a);
      if (!stmt || stmt.type !== 'ExpressionStatement' || obj.type !== 'Identifier') return undefined;
      const indent = lineIndent(text, stmt.range[0]);
      return [{ range: [stmt.range[1], stmt.range[1]], text: `\n${indent}${obj.name}.headers = { ${prop} };` }];
    }
    case 'library': {
      const realm = quotedParam(challenge, 'realm') ?? 'api';
      const call = node as TSESTree.CallExpression;
      if (e.library === 'express-basic-auth') {
        const opts = call.arguments[0] && unwrap(call.arguments[0]);
        if (!opts || opts.type !== 'ObjectExpression') return undefined;
        const existing = findProp(opts, 'challenge');
        if (existing) return [{ range: [existing.range[0], existing.range[1]], text: 'challenge: true' }];
        return [insertIntoObject(opts, `challenge: true, realm: ${jsString(realm)}`, text)];
      }
      if (e.library === '@fastify/basic-auth') {
        const opts = call.arguments[1] && unwrap(call.arguments[1]);
        if (!opts || opts.type !== 'ObjectExpression') return undefined;
        const existing = findProp(opts, 'authenticate');
        const value = `authenticate: { realm: ${jsString(realm)} }`;
        if (existing) return [{ range: [existing.range[0], existing.range[1]], text: value }];
        return [insertIntoObject(opts, value, text)];
      }
      return undefined;
    }
    case 'helper-call': {
      const hi = templateInfo.get(e)?.headerParam;
      const call = node as TSESTree.CallExpression;
      if (hi === undefined) return undefined;
      const arg = call.arguments[hi];
      if (arg) {
        const a = unwrap(arg);
        return a.type === 'ObjectExpression' ? [insertIntoObject(a, prop, text)] : undefined;
      }
      if (call.arguments.length !== hi) return undefined;
      const last = call.arguments[call.arguments.length - 1]!;
      return [{ range: [last.range[1], last.range[1]], text: `, { ${prop} }` }];
    }
    default:
      return undefined;
  }
}

/** The root identifier node of a call chain: `res` in `res.status(401).json()`. */
function receiverNode(node: Node): Node | undefined {
  let n: Node = unwrap(node);
  for (;;) {
    if (n.type === 'CallExpression') n = unwrap(n.callee);
    else if (n.type === 'MemberExpression') {
      const o = unwrap(n.object);
      if (o.type === 'Identifier' || o.type === 'ThisExpression') return n.object.type === 'Identifier' ? n.object : undefined;
      if (o.type === 'MemberExpression' && o.object.type === 'Identifier') return o;
      n = o;
    } else return undefined;
  }
}

const SWAP_NAMES: Record<string, Record<number, string>> = nullProto({
  exception: { 401: 'UnauthorizedException', 403: 'ForbiddenException' },
  httpErrors: { 401: 'Unauthorized', 403: 'Forbidden' },
  boom: { 401: 'unauthorized', 403: 'forbidden' },
  sensible: { 401: 'unauthorized', 403: 'forbidden' },
  constant: { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 400: 'BAD_REQUEST' },
});

/** Edits that change the emitted status from `from` to `to`, in the framework's idiom. */
export function swapStatusEdits(e: Emission, to: number, text: string): TextEdit[] | undefined {
  const a = e.anchor;
  if (e.kind === 'nest-guard') return undefined;
  if (e.kind === 'nest-exception' && a.type === 'Identifier') {
    const name = SWAP_NAMES.exception![to];
    return name ? [{ range: [a.range[0], a.range[1]], text: name }, ...nestImport(name, text)] : undefined;
  }
  if (e.kind === 'boom' && a.type === 'MemberExpression' && to === 403) {
    // Boom.forbidden(message, data): a challenge argument of unauthorized() would become data
    const call = e.node as TSESTree.CallExpression;
    const msg = call.arguments[0] ? text.slice(call.arguments[0].range[0], call.arguments[0].range[1]) : '';
    return [{ range: [call.range[0], call.range[1]], text: `${text.slice(a.object.range[0], a.object.range[1])}.forbidden(${msg === 'null' ? '' : msg})` }];
  }
  if (a.type === 'MemberExpression' && (e.kind === 'http-error' || e.kind === 'boom' || e.kind === 'sensible')) {
    const table = e.kind === 'http-error' ? SWAP_NAMES.httpErrors! : SWAP_NAMES.boom!;
    const name = table[to];
    if (!name) return undefined;
    return [{ range: [a.property.range[0], a.property.range[1]], text: a.property.type === 'Identifier' ? name : `'${to}'` }];
  }
  const s = e.statusNode ? unwrap(e.statusNode) : undefined;
  if (!s) return undefined;
  if (s.type === 'Literal') return [{ range: [s.range[0], s.range[1]], text: String(to) }];
  if (s.type === 'MemberExpression' && !s.computed && s.property.type === 'Identifier') {
    const name = SWAP_NAMES.constant![to];
    if (!name) return undefined;
    const prefix = s.property.name.startsWith('HTTP_STATUS_') ? 'HTTP_STATUS_' : '';
    return [{ range: [s.property.range[0], s.property.range[1]], text: prefix + name }];
  }
  void text;
  return [{ range: [s.range[0], s.range[1]], text: String(to) }];
}

export function combine(title: string, ...parts: Array<TextEdit[] | undefined>): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const p of parts) {
    if (!p) continue;
    for (const ed of p) {
      if (edits.some((x) => x.range[0] < ed.range[1] && ed.range[0] < x.range[1])) continue;
      edits.push(ed);
    }
  }
  return edits.length ? { title, edits: edits.sort((x, y) => x.range[0] - y.range[0]) } : undefined;
}

/** Add `name` to the file's `import { ... } from '@nestjs/common'` when it is missing. */
export function nestImport(name: string, text: string): TextEdit[] {
  const m = nestCommonImport(text);
  if (!m) return [];
  if (m.specifiers.split(',').some((s) => s.trim() === name)) return [];
  const before = text.slice(m.index, m.close).trimEnd();
  const at = m.index + before.length;
  return [{ range: [at, at], text: before.endsWith(',') ? ` ${name}` : `, ${name}` }];
}
