// What the branch guarding an emission asks: are credentials absent or invalid, or does an
// identified principal lack a permission? Anything else (CSRF, IP lists, plan limits,
// mixed questions, step-up authentication) classifies as 'other' and produces no finding.
import type { TSESTree } from '@typescript-eslint/types';
import { calleeName, enclosingFunction, isFunction, memberPath, parentOf, propName, someNode, unwrap, type Node } from './ast';
import { spend } from './budget';
import { atDefault, truthyAtDefault } from './config';
import { statusValues, type Bindings } from './constants';

export type GuardClass = 'credentials' | 'permission' | 'other';
type Branch = 'then' | 'else';
type Leaf = 'cred' | 'perm' | 'stepup' | 'other';

const CONFIG_ROOTS = new Set(['this', 'options', 'opts', 'config', 'settings', 'process', 'env', 'flags', 'app', 'server', 'self']);
const CONFIG_WORDS = new Set(['enabled', 'enable', 'strict', 'debug', 'mode', 'config', 'option', 'options', 'feature', 'dev', 'development', 'production', 'env']);

/** A configuration switch: `this.enforceSecurityChecks`, `options.strict`, `!process.env.AUTH`. */
function isNeutral(test: Node): boolean {
  let t = unwrap(test);
  while (t.type === 'UnaryExpression' && t.operator === '!') t = unwrap(t.argument);
  const path = memberPath(t);
  if (!path) return false;
  const segs = path.split('.');
  const ws = segs.slice(1).flatMap(words);
  if (ws.some((w) => CRED_WORDS.has(w) || PERM_WORDS.has(w) || STEPUP_WORDS.has(w) || UNRELATED_WORDS.has(w))) return false;
  return CONFIG_ROOTS.has(segs[0]!) || ws.some((w) => CONFIG_WORDS.has(w));
}

const CRED_WORDS = new Set([
  'token', 'tokens', 'jwt', 'authorization', 'auth', 'bearer', 'credential', 'credentials', 'session', 'sessions', 'user', 'users',
  'principal', 'identity', 'decoded', 'payload', 'claims', 'authenticated', 'logged', 'login', 'loggedin', 'apikey', 'cookie', 'cookies',
  'sid', 'sessionid', 'password', 'passwd', 'signature', 'account', 'me', 'viewer', 'subject',
]);
const ID_WORDS = new Set(['id', 'sub', 'uid', 'userid']);
const PERM_WORDS = new Set([
  'admin', 'admins', 'role', 'roles', 'permission', 'permissions', 'perm', 'perms', 'scope', 'scopes', 'scp', 'owner', 'owns', 'author',
  'privilege', 'privileges', 'grant', 'grants', 'acl', 'ability', 'abilities', 'superuser', 'staff', 'moderator', 'allowed', 'authorized',
  'authorize', 'access', 'entitlement', 'entitlements', 'group', 'groups', 'policy', 'policies', 'rights', 'capability', 'capabilities',
]);
const PREDICATE_PREFIX = new Set(['has', 'is', 'can', 'should', 'may', 'must', 'needs', 'allow', 'allows']);
const PRINCIPAL_WORDS = new Set(['user', 'auth', 'principal', 'token', 'claims', 'session', 'account', 'member', 'payload', 'decoded', 'identity', 'me', 'viewer', 'subject', 'jwt', 'credentials', 'state', 'current', 'actor', 'caller', 'client']);
const STEPUP_WORDS = new Set(['mfa', 'otp', 'totp', 'reauth', 'reauthenticate', 'stepup', 'step', 'acr', '2fa', 'twofactor', 'second']);
/** 403s for these are about something other than credentials or permissions (RFC 9110 §15.5.4). */
const UNRELATED_WORDS = new Set([
  'csrf', 'xsrf', 'ip', 'ips', 'origin', 'origins', 'referer', 'referrer', 'cors', 'blacklist', 'denylist',
  'quota', 'limit', 'rate', 'country', 'geo', 'region', 'maintenance', 'readonly', 'nonce', 'captcha', 'honeypot', 'tos', 'terms',
]);
/**
 * The state of an identified account (linter-notes §D.3, §D.10.4): disabled, suspended, email not
 * verified, not activated, unpaid. A permission question: new credentials would not help.
 */
const ACCOUNT_STATE_WORDS = new Set([
  'banned', 'ban', 'blocked', 'disabled', 'suspended', 'locked', 'inactive', 'active', 'activated', 'deactivated', 'verified',
  'unverified', 'confirmed', 'unconfirmed', 'approved', 'plan', 'subscription', 'subscribed', 'trial', 'paid', 'unpaid', 'enabled',
]);
/** Token claims whose test is about the credential itself (kind, audience, issuer, freshness), not permission. */
const TOKEN_CLAIM_WORDS = new Set(['aud', 'audience', 'iss', 'issuer', 'typ', 'type', 'kind', 'iat', 'nbf', 'exp', 'jti', 'azp', 'tenant', 'version', 'stamp', 'nonce']);
const VERIFY_CALLS = /^(verify|jwtVerify|verifyToken|verifyJwt|verifyIdToken|verifyAccessToken|decode|decodeToken|compare|compareSync|checkPassword|validatePassword|verifyPassword|authenticate|validateToken|introspect|getSession|getServerSession|auth|isAuthenticated|isLoggedIn)$/;
const PERM_CALLS = /^(can|cannot|hasRole|hasRoles|hasAnyRole|hasPermission|hasPermissions|hasScope|hasScopes|hasAccess|canAccess|isAllowed|checkPermission|checkPermissions|checkRole|checkScope|authorize|isAuthorized|isAdmin|isOwner|isOwnedBy|ownsResource|permits|allows|checkAccess|includes|some|every|has|indexOf)$/;

export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])(?=[A-Z][a-z])/g, '$1 ')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function classifyGuard(emissionNode: Node, b: Bindings): GuardClass {
  return classifyGuardOrNone(emissionNode, b) ?? 'other';
}

/** The class of the guard of a node inside its function, or undefined when nothing in the function guards it. */
export function classifyGuardOrNone(emissionNode: Node, b: Bindings): GuardClass | undefined {
  let found = findGuard(emissionNode);
  // `if (options.strict) throw ...`: a configuration switch says nothing; ask the guard above it
  for (let i = 0; i < 3 && found && found.kind === 'test'; i++) {
    if (isNeutral(found.test)) {
      found = findGuard(found.at);
      continue;
    }
    // a test of configuration alone takes its default value (§D.10.1): the branch it leaves is
    // not reached at the default configuration (no finding), the one it takes asks nothing
    const known = atDefault(found.test, b, emissionNode);
    if (!known) break;
    const taken = truthyAtDefault(known.v) === (found.branch === 'then');
    if (!taken) return 'other';
    found = findGuard(found.at);
  }
  if (!found) return undefined;
  // the branch itself says what it is about: `next(new Error('CSRF token mismatch'))`
  const bodyText = found.body && found.body.range[1] - found.body.range[0] < 2000 ? words(textOf(found.body)) : [];
  if (bodyText.some((w) => UNRELATED_WORDS.has(w))) return 'other';
  if (found.kind === 'catch') return tryVerifies(found.block) ? 'credentials' : 'other';
  const leaves: Leaf[] = [];
  collectLeaves(found.test, found.branch, leaves, b, emissionNode);
  if (leaves.length === 0 || leaves.includes('stepup') || leaves.includes('other')) return 'other';
  if (leaves.every((l) => l === 'cred')) return 'credentials';
  if (leaves.every((l) => l === 'perm')) return 'permission';
  return 'other';
}

type Guard = { kind: 'test'; test: Node; branch: Branch; body?: Node; at: Node } | { kind: 'catch'; block: TSESTree.BlockStatement; body?: Node; at: Node };

function findGuard(node: Node): Guard | undefined {
  let child: Node = node;
  for (let p = parentOf(node); p; child = p, p = parentOf(p)) {
    spend(1);
    if (isFunction(p)) return undefined;
    if (p.type === 'IfStatement' && child !== p.test) return { kind: 'test', test: p.test, branch: child === p.consequent ? 'then' : 'else', body: child, at: p };
    if (p.type === 'ConditionalExpression' && child !== p.test) return { kind: 'test', test: p.test, branch: child === p.consequent ? 'then' : 'else', at: p };
    if (p.type === 'LogicalExpression' && child === p.right) {
      if (p.operator === '||') return { kind: 'test', test: p.left, branch: 'else', at: p };
      if (p.operator === '&&') return { kind: 'test', test: p.left, branch: 'then', at: p };
      return undefined;
    }
    if (p.type === 'CatchClause') {
      const t = parentOf(p);
      if (t && t.type === 'TryStatement') return { kind: 'catch', block: t.block, body: p.body, at: t };
      return undefined;
    }
    if ((p.type === 'BlockStatement' || p.type === 'Program' || p.type === 'SwitchCase') && child.type !== 'BlockStatement') {
      const early = precedingEarlyExit(p, child);
      if (early) return early;
    }
    if (p.type === 'SwitchCase') return undefined;
  }
  return undefined;
}

/** `if (ok) return next(); return res.status(401)...`: the guard is the preceding if, negated. */
function precedingEarlyExit(block: Node, stmt: Node): Guard | undefined {
  const k = precedingStops(block).get(stmt) ?? -1;
  if (k < 0) return undefined;
  const body = block.type === 'SwitchCase' ? block.consequent : (block as TSESTree.BlockStatement | TSESTree.Program).body;
  const s = body[k] as Node;
  if (s.type === 'IfStatement' && !s.alternate && exits(s.consequent)) return { kind: 'test', test: s.test, branch: 'else', at: block };
  return undefined;
}

const stopsOfBlocks = new WeakMap<Node, Map<Node, number>>();

/**
 * For each statement of a block, the index of the nearest statement before it that is neither a
 * declaration nor an expression statement (-1: none): computed once per block, where a scan back
 * from every emission of a long block was quadratic.
 */
function precedingStops(block: Node): Map<Node, number> {
  let stops = stopsOfBlocks.get(block);
  if (stops) return stops;
  stops = new Map();
  const body = (block.type === 'SwitchCase' ? block.consequent : (block as TSESTree.BlockStatement | TSESTree.Program).body) as Node[];
  let last = -1;
  for (let i = 0; i < body.length; i++) {
    const s = body[i]!;
    if (!stops.has(s)) stops.set(s, last);
    if (s.type !== 'VariableDeclaration' && s.type !== 'ExpressionStatement') last = i;
  }
  stopsOfBlocks.set(block, stops);
  return stops;
}

function exits(s: Node): boolean {
  if (s.type === 'ReturnStatement' || s.type === 'ThrowStatement') return true;
  if (s.type === 'BlockStatement') {
    const last = s.body[s.body.length - 1];
    return !!last && exits(last);
  }
  return false;
}

function tryVerifies(block: TSESTree.BlockStatement): boolean {
  return someNode(block, (n) => {
    if (n.type !== 'CallExpression' && n.type !== 'NewExpression') return false;
    const name = calleeName(n) ?? '';
    return VERIFY_CALLS.test(name) || words(name).some((w) => w === 'auth' || w === 'token' || w === 'jwt' || w === 'verify' || w === 'credentials');
  });
}

function flip(b: Branch): Branch {
  return b === 'then' ? 'else' : 'then';
}

function collectLeaves(test: Node, branch: Branch, out: Leaf[], b: Bindings, emission: Node): void {
  const t = unwrap(test);
  if (t.type === 'UnaryExpression' && t.operator === '!') return collectLeaves(t.argument, flip(branch), out, b, emission);
  if (t.type === 'LogicalExpression' && (t.operator === '||' || t.operator === '&&')) {
    collectLeaves(t.left, branch, out, b, emission);
    collectLeaves(t.right, branch, out, b, emission);
    return;
  }
  // `!user?.role`: the principal may be missing as well as its role; two questions in one test
  if (test.type === 'ChainExpression' || (test.type === 'UnaryExpression' && test.argument.type === 'ChainExpression')) {
    const inner = leaf(t, branch, b, emission);
    if (inner === 'perm') {
      out.push('cred', 'perm');
      return;
    }
  }
  const all = words(textOf(t));
  if (all.some((w) => STEPUP_WORDS.has(w))) {
    out.push('stepup');
    return;
  }
  if (accountState(t, b)) {
    out.push('perm');
    return;
  }
  if (all.some((w) => UNRELATED_WORDS.has(w))) {
    out.push('other');
    return;
  }
  out.push(leaf(t, branch, b, emission));
}

/**
 * The dotted path of a member chain, with computed keys whose value is known at the default
 * configuration: `req[userKey]` where `let userKey = 'user'` is changed only by an option is `req.user`.
 */
function guardPath(n: Node, b: Bindings): string | undefined {
  const u = unwrap(n);
  if (u.type === 'MemberExpression' && u.computed && u.property.type !== 'Literal') {
    const base = guardPath(u.object, b);
    const key = base !== undefined ? atDefault(u.property as Node, b, u) : undefined;
    return key && typeof key.v === 'string' ? `${base}.${key.v}` : undefined;
  }
  if (u.type === 'MemberExpression') {
    const base = guardPath(u.object, b);
    const p = propName(u);
    return base !== undefined && p !== undefined ? `${base}.${p}` : undefined;
  }
  return memberPath(u);
}

function textOf(n: Node): string {
  const parts: string[] = [];
  someNode(n, (x) => {
    if (x.type === 'Identifier') parts.push(x.name);
    else if (x.type === 'Literal' && typeof x.value === 'string') parts.push(x.value);
  });
  return parts.join(' ');
}

function pathWords(n: Node, b: Bindings): string[][] | undefined {
  const p = guardPath(n, b);
  if (p === undefined) return undefined;
  return p.split('.').map(words);
}

function leaf(t: Node, branch: Branch, b: Bindings, emission: Node): Leaf {
  // truthiness of a value: the emission sits where it is falsy
  const segs = pathWords(t, b);
  if (segs) {
    const last = segs[segs.length - 1]!;
    const flat = segs.flat();
    if (branch === 'then') {
      // `if (err) ...` inside a jwt.verify / passport callback: invalid credentials
      if (last.length === 1 && /^(err|error|e)$/.test(last[0]!) && segs.length === 1 && insideVerifyCallback(emission)) return 'cred';
      if (last.some((w) => w === 'expired' || w === 'revoked' || w === 'invalid')) return flat.some((w) => CRED_WORDS.has(w)) ? 'cred' : 'other';
      return 'other';
    }
    // where the tested value comes from (§D.10.4): a credential read through any accessor, and
    // what is derived from it (`raw.split(' ')[1]`, `header?.replace('Bearer ', '')`)
    if (fromCredentialRead(t, b, 0)) return 'cred';
    if (segs.length === 1 && t.type === 'Identifier') {
      // `const ok = await bcrypt.compare(...)`: the value comes from a verification
      const init = b.initOf(t);
      const call = init ? callIn(unwrap(init)) : undefined;
      if (call && (call.type === 'CallExpression' || call.type === 'NewExpression')) {
        const name = calleeName(call) ?? '';
        if (VERIFY_CALLS.test(name)) return 'cred';
        if (PERM_CALLS.test(name) && !/^(includes|some|every|has|indexOf)$/.test(name)) return 'perm';
      }
    }
    if (PREDICATE_PREFIX.has(last[0]!) && last.length > 1) {
      // hasRightUserId, isUserResource, canUpdateAPIKey: name what they test
      const rest = last.slice(1);
      if (rest.some((w) => w === 'authenticated' || w === 'logged' || w === 'loggedin' || w === 'signed' || w === 'authorized' && rest.length === 1)) return rest.includes('authorized') ? 'other' : 'cred';
      if (rest.some((w) => w === 'admin' || w === 'owner' || w === 'role' || w === 'roles' || w === 'permission' || w === 'permissions' || w === 'scope' || w === 'scopes' || w === 'superuser' || w === 'staff' || w === 'moderator' || w === 'access')) return 'perm';
      if ((rest.includes('valid') || rest.includes('verified')) && rest.some((w) => w === 'token' || w === 'session' || w === 'password' || w === 'signature' || w === 'credentials' || w === 'jwt')) return 'cred';
      return 'other';
    }
    if (last.some((w) => PERM_WORDS.has(w)) && !last.some((w) => w === 'auth' || w === 'authorization' || w === 'authenticated')) {
      // `!role` alone says nothing about who asks; `!user.isAdmin`, `!req.auth.admin` do
      return segs.length > 1 && segs.slice(0, -1).flat().some((w) => PRINCIPAL_WORDS.has(w)) ? 'perm' : 'other';
    }
    if (segs.length === 1 && t.type === 'Identifier') {
      // `const user = await User.findById(decoded.id)`, `const jwk = await getKey(decoded.header.kid)`:
      // nothing found for the token's own claims means the token is not valid
      const init = b.initOf(t);
      const call = init ? callIn(unwrap(init)) : undefined;
      if (call && (call.type === 'CallExpression' || call.type === 'NewExpression') && call.arguments.some((a) => fromDecodedToken(a as Node, b))) return 'cred';
    }
    if (segs.length === 1 && t.type === 'Identifier' && last.some((w) => w === 'user' || w === 'account' || w === 'member')) {
      // a local `user` looked up from a database is a resource, not the request's credentials
      const init = b.initOf(t);
      const call = init ? callIn(unwrap(init)) : undefined;
      if (call) {
        const name = calleeName(call as TSESTree.CallExpression) ?? '';
        // a login: the account looked up by the identity the body presents, next to a presented secret
        if ((call.type === 'CallExpression' || call.type === 'NewExpression') && call.arguments.some((a) => a.type !== 'SpreadElement' && fromRequestBody(a, b, 0))) {
          const fn = enclosingFunction(t);
          if (fn && readsPresentedSecret(fn, b)) return 'cred';
        }
        if (!VERIFY_CALLS.test(name) && !/session|current|auth|token|verify|decode|whoami|principal|viewer|me$/i.test(name)) return 'other';
      }
    }
    // `!decoded.header.kid` where `decoded = jwt.decode(token)`: part of the credential is missing
    if (t.type === 'MemberExpression' && holdsDecodedToken(guardPath(t, b)!.split('.')[0]!, b)) return 'cred';
    if (last.some((w) => CRED_WORDS.has(w)) || CRED_WORDS.has(last.join('')) || /apikey|accesskey|secretkey/.test(last.join(''))) return 'cred';
    if (last.some((w) => ID_WORDS.has(w)) && flat.some((w) => CRED_WORDS.has(w))) return 'cred';
    if (last.includes('valid') || last.includes('match') || last.includes('matches') || last.includes('verified') && flat.some((w) => CRED_WORDS.has(w))) {
      return flat.some((w) => CRED_WORDS.has(w) || w === 'match' || w === 'valid') && !flat.includes('email') ? 'cred' : 'other';
    }
    return 'other';
  }
  if (t.type === 'CallExpression') {
    const name = calleeName(t) ?? '';
    const calleePath = t.callee.type === 'MemberExpression' ? pathWords(t.callee.object, b) : undefined;
    const objWords = calleePath ? calleePath.flat() : [];
    if (branch !== 'else') {
      // `if (token.denies(ability))`, `if (cannot('edit', post))`: a negative permission predicate
      if (/^(denies|cannot|lacks|isForbidden|isDenied|notAllowed)/.test(name)) return 'perm';
      // `if (authHeader.startsWith('Basic '))` style tests in the then branch say nothing here
      return 'other';
    }
    if (/^(header|get|getHeader|headers|cookie|cookies|query)$/.test(name)) {
      // c.req.header('Authorization'), req.get('authorization'), request.headers.get('x-api-key')
      const arg = t.arguments[0] && unwrap(t.arguments[0]);
      const key = arg && arg.type === 'Literal' && typeof arg.value === 'string' ? arg.value.toLowerCase() : '';
      return /authorization|auth|token|api-?key|cookie|session|bearer|credential/.test(key) ? 'cred' : 'other';
    }
    if (/^(startsWith|test|match)$/.test(name)) {
      const all = words(textOf(t));
      return all.some((w) => w === 'bearer' || w === 'basic' || w === 'authorization' || w === 'token') ? 'cred' : 'other';
    }
    if (/^(includes|some|every|has|indexOf)$/.test(name)) return objWords.some((w) => PERM_WORDS.has(w)) || words(textOf(t)).some((w) => PERM_WORDS.has(w)) ? 'perm' : 'other';
    // canUpdate(user, post), user.can('edit', post), mayPublish(req.user): a permission predicate applied to the principal
    if (/^(can|may|allow|allows|permit|permits|authorize|authorise|isAllowed|isPermitted)([A-Z_]|$)/.test(name)) {
      const onPrincipal = (n: Node) => establishedPrincipal(n, b, 0) || /(^|\.)(user|principal|currentUser|actor|viewer|account)$/.test(memberPath(n) ?? '');
      if (t.arguments.some((a) => a.type !== 'SpreadElement' && onPrincipal(a)) || (t.callee.type === 'MemberExpression' && onPrincipal(t.callee.object))) return 'perm';
    }
    if (PERM_CALLS.test(name)) return 'perm';
    if (VERIFY_CALLS.test(name)) return 'cred';
    // user.comparePassword(password), checkPin(req.body.pin): the credentials the client presented did not verify
    if (t.arguments.some((a) => a.type !== 'SpreadElement' && fromCredentialRead(a, b, 0))) return 'cred';
    const w = words(name);
    if (w.some((x) => PERM_WORDS.has(x)) && (w[0] === 'can' || w[0] === 'has' || w[0] === 'is' || w[0] === 'check')) return 'perm';
    if (w.some((x) => CRED_WORDS.has(x))) return 'cred';
    return 'other';
  }
  if (t.type === 'BinaryExpression' && /^[<>]=?$|^[!=]==?$/.test(t.operator)) {
    // `list.indexOf(x) > -1` is `list.includes(x)`; `=== -1` and `< 0` its negation
    const l = unwrap(t.left as Node);
    const r = unwrap(t.right);
    if (l.type === 'CallExpression' && calleeName(l) === 'indexOf' && r.type !== 'CallExpression') {
      const v = r.type === 'Literal' ? Number(r.value) : r.type === 'UnaryExpression' && r.operator === '-' && r.argument.type === 'Literal' ? -Number(r.argument.value) : NaN;
      const found = (t.operator === '>' && v === -1) || (t.operator === '>=' && v === 0) || ((t.operator === '!==' || t.operator === '!=') && v === -1);
      const missing = ((t.operator === '===' || t.operator === '==') && v === -1) || (t.operator === '<' && v === 0);
      if (found) return leaf(l, branch, b, emission);
      if (missing) return leaf(l, flip(branch), b, emission);
    }
  }
  if (t.type === 'BinaryExpression') {
    const op = t.operator;
    const eq = op === '===' || op === '==';
    const ne = op === '!==' || op === '!=';
    if (!eq && !ne) return 'other';
    const sides = [unwrap(t.left), unwrap(t.right)];
    const nullish = sides.find((s) => (s.type === 'Literal' && s.value === null) || (s.type === 'Identifier' && s.name === 'undefined'));
    if (nullish) {
      const other = sides.find((s) => s !== nullish)!;
      // `token == null` in then == `!token`
      const absentBranch: Branch = eq ? 'then' : 'else';
      return leaf(other, absentBranch === branch ? 'else' : 'then', b, emission);
    }
    if (sides.some((s) => statusValues(s, b))) return 'other';
    const mismatch = (ne && branch === 'then') || (eq && branch === 'else');
    if (!mismatch) return 'other';
    const sw = sides.map((s) => words(textOf(s)));
    const flat = sw.flat();
    // key !== process.env.API_KEY where key = req.get('X-Api-Key'): the presented credential is wrong
    if (sides.some((s) => fromCredentialRead(s, b, 0))) return 'cred';
    // decoded.aud !== audience, payload.type !== 'access', token.iat < user.passwordChangedAt: the credential is not valid here
    if (sides.some((s) => fromDecodedToken(s, b)) && flat.some((w) => TOKEN_CLAIM_WORDS.has(w))) return 'cred';
    if (flat.some((w) => w === 'role' || w === 'roles' || w === 'scope' || w === 'permission' || w === 'admin' || w === 'group' || w === 'level' || w === 'tier' || w === 'type' && flat.includes('user'))) return flat.includes('token') && !flat.includes('role') ? 'other' : 'perm';
    if (sw.every((w) => w.some((x) => x === 'id' || x === 'sub' || x === 'uid' || x === 'userid')) && flat.some((w) => w === 'owner' || w === 'author' || w === 'user' || w === 'creator' || w === 'created')) return 'perm';
    // req.get('X-Api-Key') !== apiKey: a credential header compared with the secret
    const headerRead = sides.find((s) => s.type === 'CallExpression' && /^(get|header|getHeader)$/.test(calleeName(s) ?? ''));
    if (headerRead && headerRead.type === 'CallExpression') {
      const arg = headerRead.arguments[0] && unwrap(headerRead.arguments[0]);
      const key = arg && arg.type === 'Literal' && typeof arg.value === 'string' ? arg.value.toLowerCase() : '';
      if (isCredentialHeader(key)) return 'cred';
    }
    const literal = sides.find((s) => s.type === 'Literal' || s.type === 'TemplateLiteral');
    if (literal) {
      // `scheme !== 'Bearer'`: a malformed credential; `typeof x !== 'object'`, `flag !== true`: not about credentials
      return literal.type === 'Literal' && typeof literal.value === 'string' && /^(bearer|basic|token|digest)$/i.test(literal.value.trim()) ? 'cred' : 'other';
    }
    if (flat.some((w) => w === 'password' || w === 'hash' || w === 'secret' || w === 'bearer' || w === 'token' || w === 'signature' || w === 'digest') || /apikey/.test(flat.join(''))) return 'cred';
    return 'other';
  }
  return 'other';
}

const DECODE_CALLS = /^(verify|jwtVerify|decode|decodeToken|verifyToken|verifyJwt|verifyIdToken|verifyAccessToken)$/;

/** Whether a variable holds a verified or decoded token: `const decoded = jwt.decode(token)`. */
function holdsDecodedToken(name: string, b: Bindings): boolean {
  const init = b.initOf(name);
  const call = init ? callIn(unwrap(init)) : undefined;
  return !!call && (call.type === 'CallExpression' || call.type === 'NewExpression') && DECODE_CALLS.test(calleeName(call) ?? '');
}

/** Whether an expression reads a variable that holds a verified or decoded token. */
function fromDecodedToken(n: Node, b: Bindings): boolean {
  return someNode(n, (x) => x.type === 'Identifier' && holdsDecodedToken(x.name, b));
}

/** The call a value comes from: `x`, `c ? await f() : false`, `a && f()`. */
function callIn(n: Node): Node | undefined {
  if (n.type === 'CallExpression' || n.type === 'NewExpression') return n;
  if (n.type === 'ConditionalExpression') return callIn(unwrap(n.consequent)) ?? callIn(unwrap(n.alternate));
  if (n.type === 'LogicalExpression') return callIn(unwrap(n.right)) ?? callIn(unwrap(n.left));
  return undefined;
}

function insideVerifyCallback(node: Node): boolean {
  for (let p = parentOf(node); p; p = parentOf(p)) {
    if (isFunction(p)) {
      const call = parentOf(p);
      if (call && call.type === 'CallExpression' && call.arguments.includes(p as TSESTree.CallExpressionArgument)) {
        const name = calleeName(call) ?? '';
        return VERIFY_CALLS.test(name) || name === 'authenticate';
      }
      return false;
    }
  }
  return false;
}

/**
 * `if (err.status === 401) throw new ProviderAuthError()`, `if (isAuthError({ statusCode }))`:
 * the branch relays a status some upstream answered. The upstream's challenge is not ours to
 * invent, so the missing-challenge rules say nothing there.
 */
export function isRelayGuard(emissionNode: Node, status: number, b: Bindings): boolean {
  const g = findGuard(emissionNode);
  if (!g || g.kind !== 'test') return false;
  let hit = false;
  const stack: Node[] = [g.test];
  while (stack.length && !hit) {
    const n = unwrap(stack.pop()!);
    if (n.type === 'BinaryExpression' && /^[!=]==?$/.test(n.operator)) {
      const sides = [unwrap(n.left as Node), unwrap(n.right)];
      const lit = sides.find((s) => statusValues(s, b)?.includes(status));
      const other = sides.find((s) => s !== lit);
      if (lit && other && /status|code/i.test(memberPath(other) ?? '')) hit = true;
    } else if (n.type === 'LogicalExpression') {
      stack.push(n.left, n.right);
    } else if (n.type === 'UnaryExpression') {
      stack.push(n.argument);
    } else if (n.type === 'CallExpression') {
      const text = words(textOf(n));
      if (text.includes('status') && (text.includes('code') || text.includes('statuscode'))) hit = true;
    }
  }
  return hit;
}

/** Header names that carry credentials (RFC 9110 §11.6.2, §11.7.2; cookies; API-key headers). */
function isCredentialHeader(name: string): boolean {
  const n = name.toLowerCase();
  // authorization, cookies, and headers that carry a key, token, secret or session: x-api-key, x-master-key, x-auth-token
  return n === 'authorization' || n === 'proxy-authorization' || n === 'cookie' || /(^|[-_])(key|token|auth|session|secret|password|signature)([-_]|$)|apikey|access[-_]?token/.test(n);
}

function literalString(n: Node | undefined): string | undefined {
  const u = n && unwrap(n);
  return u && u.type === 'Literal' && typeof u.value === 'string' ? u.value : undefined;
}

/**
 * Whether a value is read from the request's credentials, directly or through what is derived
 * from such a read: `req.get('Authorization')`, `req.header('x-api-key')`, `ctx.get(...)`,
 * `c.req.header(...)`, `request.headers.get(...)`, `req.headers.authorization`,
 * `req.headers['authorization']`, `req.cookies.x`, `req.signedCookies.x`, and variables
 * initialised from them (followed through const/let initialisers).
 */
export function fromCredentialRead(node: Node, b: Bindings, depth: number): boolean {
  if (depth > 6) return false;
  const n = unwrap(node);
  switch (n.type) {
    case 'Identifier': {
      const init = b.initOf(n);
      if (init) return fromCredentialRead(init, b, depth + 1);
      // const { authorization } = req.headers; const { password } = req.body
      const picked = b.pickedFrom(n);
      return !!picked && (credentialKeyOf(picked.from, picked.key, b, depth + 1) || fromCredentialRead(picked.from, b, depth + 1));
    }
    case 'AwaitExpression':
      return fromCredentialRead(n.argument, b, depth + 1);
    case 'LogicalExpression':
      return fromCredentialRead(n.left, b, depth + 1) || fromCredentialRead(n.right, b, depth + 1);
    case 'ConditionalExpression':
      return fromCredentialRead(n.consequent, b, depth + 1) || fromCredentialRead(n.alternate, b, depth + 1);
    case 'ChainExpression':
      return fromCredentialRead(n.expression, b, depth + 1);
    case 'MemberExpression': {
      const obj = unwrap(n.object);
      const p = n.computed ? literalString(n.property as Node) : propName(n);
      // req.headers.authorization, req.headers['x-api-key'], req.cookies.sid
      if (p && credentialKeyOf(obj, p, b, depth + 1)) return true;
      // derived: raw.split(' ')[1], header.length
      return fromCredentialRead(obj, b, depth + 1);
    }
    case 'CallExpression': {
      const callee = unwrap(n.callee);
      const name = calleeName(n) ?? '';
      const key = literalString(n.arguments[0]);
      if (/^(get|header|getHeader|headers)$/.test(name) && key !== undefined && isCredentialHeader(key)) return true;
      if (/^(cookie|cookies|getCookie|getSignedCookie)$/.test(name) && key !== undefined) return true;
      // derived: raw.split(' '), raw.replace('Bearer ', ''), raw.trim()
      if (callee.type === 'MemberExpression') return fromCredentialRead(callee.object, b, depth + 1);
      return false;
    }
    default:
      return false;
  }
}

/** Whether property `key` of `obj` is a credential: a credential header, a cookie, a secret field of the request body. */
function credentialKeyOf(obj: Node, key: string, b: Bindings, depth: number): boolean {
  const o = unwrap(obj);
  const holder = o.type === 'MemberExpression' ? propName(o) : o.type === 'Identifier' ? o.name : undefined;
  if (holder === 'headers' && isCredentialHeader(key)) return true;
  if (holder === 'cookies' || holder === 'signedCookies') return true;
  return isSecretField(key) && requestBody(o, b, depth);
}

/** Fields through which a client presents a secret in a form or JSON body (a login, a token exchange). */
function isSecretField(key: string): boolean {
  const k = key.toLowerCase();
  if (k === 'pass' || k === 'pwd' || k === 'pin') return true;
  return words(key).some((w) => w === 'password' || w === 'passwd' || w === 'passphrase' || w === 'passcode' || w === 'secret');
}

/**
 * Whether a value is the request's body (or query): `req.body`, `ctx.request.body`, hapi's
 * `request.payload`, `await req.json()`, `await c.req.parseBody()`, and variables holding them.
 */
function requestBody(node: Node, b: Bindings, depth: number): boolean {
  if (depth > 6) return false;
  const n = unwrap(node);
  if (n.type === 'AwaitExpression') return requestBody(n.argument, b, depth + 1);
  if (n.type === 'MemberExpression') {
    const p = propName(n);
    return p === 'body' || p === 'payload' || p === 'query';
  }
  if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression') {
    const p = propName(n.callee);
    return n.arguments.length === 0 && (p === 'json' || p === 'formData' || p === 'parseBody');
  }
  if (n.type === 'Identifier') {
    const init = b.initOf(n);
    if (init) return requestBody(init, b, depth + 1);
    const picked = b.pickedFrom(n);
    return !!picked && (picked.key === 'body' || picked.key === 'payload');
  }
  return false;
}

/** Whether a value is built from what the request's body carries: `{ email }` where `const { email } = req.body`. */
function fromRequestBody(node: Node, b: Bindings, depth: number): boolean {
  if (depth > 6) return false;
  const n = unwrap(node);
  switch (n.type) {
    case 'ObjectExpression':
      return n.properties.some((p) => p.type === 'Property' && fromRequestBody(p.value as Node, b, depth + 1));
    case 'Identifier': {
      const init = b.initOf(n);
      if (init) return fromRequestBody(init, b, depth + 1);
      const picked = b.pickedFrom(n);
      return !!picked && requestBody(picked.from, b, depth + 1);
    }
    case 'MemberExpression':
      return requestBody(n.object, b, depth + 1) || fromRequestBody(n.object, b, depth + 1);
    case 'CallExpression':
      // email.toLowerCase(), String(email).trim()
      return n.callee.type === 'MemberExpression' ? fromRequestBody(n.callee.object, b, depth + 1) : false;
    default:
      return false;
  }
}

/** Whether a function reads a secret the client presents in the request's body (a login form's password). */
function readsPresentedSecret(fn: Node, b: Bindings): boolean {
  return someNode(fn, (x) => (x.type === 'Identifier' || x.type === 'MemberExpression') && secretRead(x, b));
}

function secretRead(x: Node, b: Bindings): boolean {
  if (x.type === 'MemberExpression') {
    const p = x.computed ? literalString(x.property as Node) : propName(x);
    return !!p && isSecretField(p) && requestBody(x.object, b, 0);
  }
  if (x.type !== 'Identifier' || !isSecretField(x.name)) return false;
  const picked = b.pickedFrom(x);
  return !!picked && isSecretField(picked.key) && requestBody(picked.from, b, 0);
}

/**
 * `!req.user.emailVerified`, `ctx.state.user.status === 'suspended'`, `!account.isActive` where the
 * account came from the request's verified principal: a test of an identified account's state.
 * An account looked up from what a login form sent is not identified yet (its password is
 * still to be checked): testing its state is part of checking the credentials.
 */
function accountState(t: Node, b: Bindings): boolean {
  let n = unwrap(t);
  if (n.type === 'BinaryExpression') {
    const l = unwrap(n.left as Node);
    n = l.type === 'MemberExpression' ? l : unwrap(n.right);
  }
  const path = memberPath(n);
  if (!path) return false;
  const segs = path.split('.').map(words);
  if (segs.length < 2) return false;
  const last = segs[segs.length - 1]!;
  const owner = segs.slice(0, -1).flat();
  const lastIsState = last.some((w) => ACCOUNT_STATE_WORDS.has(w)) || (last.includes('status') && owner.some((w) => w === 'user' || w === 'account' || w === 'member'));
  // an account, not a credential: `token.active` (RFC 7662 introspection) is about the token
  if (!lastIsState || !owner.some((w) => ACCOUNT_WORDS.has(w)) || owner.some((w) => w === 'token' || w === 'jwt' || w === 'claims' || w === 'payload' || w === 'decoded' || w === 'session')) return false;
  return establishedPrincipal(n, b, 0);
}

/** Whether the object a state is read from is the request's authenticated principal (or derived from it). */
function establishedPrincipal(n: Node, b: Bindings, depth: number): boolean {
  if (depth > 4) return false;
  let root: Node = unwrap(n);
  while (root.type === 'MemberExpression') root = unwrap(root.object);
  const path = memberPath(n) ?? '';
  const segs = path.split('.');
  // req.user.x, ctx.state.user.x, request.auth.x, this.req.user.x: attached to the request by authentication
  if (segs.length >= 3 && segs.slice(1, -1).some((s) => /^(user|auth|principal|state|account|currentUser|identity)$/.test(s))) return true;
  if (root.type !== 'Identifier') return false;
  const init = b.initOf(root);
  if (!init) return false;
  const u = unwrap(init);
  if (u.type === 'MemberExpression') return establishedPrincipal(u, b, depth + 1) || /\.(user|auth|principal)$/.test(memberPath(u) ?? '');
  const call = callIn(u);
  return !!call && call.type === 'CallExpression' && (DECODE_CALLS.test(calleeName(call) ?? '') || call.arguments.some((a) => fromDecodedToken(a as Node, b)));
}

const ACCOUNT_WORDS = new Set(['user', 'users', 'account', 'accounts', 'member', 'principal', 'profile', 'customer', 'subscriber', 'viewer', 'me', 'actor']);
