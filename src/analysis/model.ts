// The response-flow model: where a status is emitted, what challenge it carries inline,
// and which header writes can reach it.
import type { FunctionLike, Node } from './ast';
import type { StaticString } from './constants';

export type Framework =
  | 'node-http'
  | 'express'
  | 'koa'
  | 'fastify'
  | 'nestjs'
  | 'hapi'
  | 'hono'
  | 'web-response'
  | 'http-errors'
  | 'generic';

export type Presence = 'none' | 'yes' | 'may';
export type HeaderKind = 'www' | 'proxy';

export interface ChallengeValue {
  node: Node;
  value: StaticString;
  header: HeaderKind;
  /** Built up further with `+=`: what is missing may come later. */
  partial?: boolean;
}

export interface Inline {
  www: Presence;
  proxy: Presence;
  values: ChallengeValue[];
}

export type EmissionKind =
  | 'status-call' // res.status(401), c.status(401), reply.code(401)
  | 'send-status' // res.sendStatus(401), res.send(401), res.json(401, x)
  | 'write-head' // res.writeHead(401, headers)
  | 'status-assign' // res.statusCode = 401, ctx.status = 401
  | 'helper-response' // c.json(x, 401, headers), c.text(...)
  | 'koa-throw' // ctx.throw(401), ctx.assert(x, 401)
  | 'http-error' // createError(401), new createError.Unauthorized(), httpErrors.unauthorized()
  | 'sensible' // reply.unauthorized()
  | 'nest-exception' // new UnauthorizedException(), new HttpException(x, 401)
  | 'nest-guard' // canActivate returning false (403)
  | 'boom' // Boom.unauthorized(...)
  | 'hono-exception' // new HTTPException(401, ...)
  | 'response-init' // new Response(b, {status}), Response.json, NextResponse.json
  | 'error-assign' // err.status = 401 on an error object that is thrown
  | 'helper-call' // json(res, 401, body, headers): a local helper taking the status as a parameter
  | 'library'; // auth middleware configured so that its 401 has no challenge (basicAuth without challenge: true)

export interface Emission {
  kind: EmissionKind;
  framework: Framework;
  statuses: number[];
  /** The status token the finding is anchored on. */
  anchor: Node;
  /** The whole call / new / assignment. */
  node: Node;
  /** Root name of the response object headers are written on (res, ctx, reply, c...). */
  receiver?: string;
  fn: FunctionLike | null;
  /** Whether the emission (or its chain) sends the response at once. */
  commits: boolean;
  /** Where the response is sent: header writes ending after this do not count. */
  commitAt?: number;
  /** Whether this is an error object handed to the framework's error pipeline. */
  thrown: boolean;
  inline: Inline;
  /** A JSON body's `error` string sent with this status. */
  bodyError?: Node;
  /** Node whose text is the status and may be replaced by a fix (literal, constant). */
  statusNode?: Node;
  /** Outermost expression of the call chain holding the emission. */
  chainTop: Node;
  /** For 'library' emissions: the package whose configuration is at fault. */
  library?: string;
  /**
   * The receiver is only this framework's object when one of these packages is imported by the
   * file or is a dependency of its package (`reply.unauthorized()` needs @fastify/sensible).
   */
  needsPackage?: string[];
  /**
   * An error of the project's own class: whether it can carry headers depends on the class and on
   * the error handler that reads it, so no fix adds `headers` to its arguments.
   */
  ownClass?: true;
  /** Where the status was decided, when that is not where it is sent (a returned `{ status: 401 }`): its guard is the one asked. */
  guardAt?: Node;
}

export interface HeaderWrite {
  header: HeaderKind | 'unknown';
  receiver: string;
  fn: FunctionLike | null;
  node: Node;
  /** The position after which the header is set. */
  end: number;
  value?: ChallengeValue;
  /** Koa ctx.set / ctx.append / ctx.response.set: wiped by ctx.throw. */
  koa: boolean;
}

/** A call that passes a response object to a function: `setChallenge(res)`. */
export interface ReceiverCall {
  callee: string;
  argIndex: number;
  receiver: string;
  /** The argument is a property of the receiver (`c.env.DB`), not the receiver itself. */
  part?: true;
  fn: FunctionLike | null;
  node: Node;
}

export function noInline(): Inline {
  return { www: 'none', proxy: 'none', values: [] };
}

export function merge(a: Presence, b: Presence): Presence {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'may' || b === 'may') return 'may';
  return 'none';
}

/** The status token for one status: the arm of `cond ? 401 : 403` that yields it. */
export function anchorFor(e: Emission, status: number): Node {
  let n = e.anchor;
  const hit = (x: Node): boolean => (x.type === 'Literal' ? x.value === status : x.type === 'ConditionalExpression' ? hit(x.consequent) || hit(x.alternate) : x.type === 'LogicalExpression' ? hit(x.left) || hit(x.right) : true);
  while (n.type === 'ConditionalExpression' || n.type === 'LogicalExpression') {
    const [c, a] = n.type === 'ConditionalExpression' ? [n.consequent, n.alternate] : [n.right, n.left];
    const lit = (x: Node) => x.type === 'Literal' && x.value === status;
    if (lit(c) || (!lit(a) && hit(c) && c.type !== 'Identifier' && c.type !== 'MemberExpression')) n = c;
    else if (hit(a)) n = a;
    else break;
  }
  return n;
}
