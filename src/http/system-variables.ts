// REST Client system variables `{{$name args}}` (http-dialect.md §4 F5). Pure except for the
// clock and randomness, both injectable for tests.

import { randomInt, randomUUID } from 'node:crypto';

/** `unknown`: not a REST Client system variable; REST Client sends such a reference as typed. */
export type SystemResult = { value: string } | { error: string; unsupported?: boolean } | { unknown: string };

export interface SystemContext {
  now: Date;
  processEnv: Record<string, string | undefined>;
  /** Lookup in the active .env file; undefined when no such key (or no file). */
  dotenv(name: string): string | undefined;
  /** Lookup in the selected environment (for the `%` indirection of $processEnv / $dotenv). */
  environment(name: string): string | undefined;
}

const UNSUPPORTED = new Set(['$aadToken', '$aadV2Token', '$oidcAccessToken']);

/** Other tools' dynamic variables, with REST Client's nearest equivalent. */
const EQUIVALENTS: Record<string, string> = {
  $uuid: '{{$guid}}',
  '$random.uuid': '{{$guid}}',
  $randomUUID: '{{$guid}}',
  $isoTimestamp: '{{$datetime iso8601}}',
  $date: '{{$datetime "YYYY-MM-DD"}}',
  '$random.integer': '{{$randomInt min max}}',
  $randomInteger: '{{$randomInt min max}}',
};

const UNITS: Record<string, (d: Date, n: number) => void> = {
  y: (d, n) => d.setFullYear(d.getFullYear() + n),
  Q: (d, n) => d.setMonth(d.getMonth() + 3 * n),
  M: (d, n) => d.setMonth(d.getMonth() + n),
  w: (d, n) => d.setDate(d.getDate() + 7 * n),
  d: (d, n) => d.setDate(d.getDate() + n),
  h: (d, n) => d.setTime(d.getTime() + n * 3600_000),
  m: (d, n) => d.setTime(d.getTime() + n * 60_000),
  s: (d, n) => d.setTime(d.getTime() + n * 1000),
  ms: (d, n) => d.setTime(d.getTime() + n),
};

function applyOffset(now: Date, args: string[]): Date | string {
  const d = new Date(now.getTime());
  if (args.length === 0) return d;
  if (args.length !== 2 || !/^[-+]?\d+$/.test(args[0]!) || !(args[1]! in UNITS)) {
    return `expects an optional offset like "-1 d" (units y Q M w d h m s ms), got "${args.join(' ')}"`;
  }
  UNITS[args[1]!]!(d, Number(args[0]));
  if (Number.isNaN(d.getTime())) return `offset "${args.join(' ')}" moves the date out of range`;
  return d;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A dayjs-style format subset: YYYY YY MMM MM M ddd DD D HH H hh h mm m ss s SSS A a Z ZZ; [text] literal. */
export function formatDate(d: Date, fmt: string, utc: boolean): string {
  const get = {
    Y: utc ? d.getUTCFullYear() : d.getFullYear(),
    M: (utc ? d.getUTCMonth() : d.getMonth()) + 1,
    D: utc ? d.getUTCDate() : d.getDate(),
    H: utc ? d.getUTCHours() : d.getHours(),
    m: utc ? d.getUTCMinutes() : d.getMinutes(),
    s: utc ? d.getUTCSeconds() : d.getSeconds(),
    S: utc ? d.getUTCMilliseconds() : d.getMilliseconds(),
  };
  const off = utc ? 0 : -d.getTimezoneOffset();
  const zone = (sep: string): string => `${off >= 0 ? '+' : '-'}${pad(Math.floor(Math.abs(off) / 60))}${sep}${pad(Math.abs(off) % 60)}`;
  const tokens: Record<string, () => string> = {
    YYYY: () => String(get.Y),
    MMM: () => MONTHS[get.M - 1]!,
    ddd: () => DAYS[utc ? d.getUTCDay() : d.getDay()]!,
    YY: () => String(get.Y).slice(-2),
    MM: () => pad(get.M),
    M: () => String(get.M),
    DD: () => pad(get.D),
    D: () => String(get.D),
    HH: () => pad(get.H),
    H: () => String(get.H),
    hh: () => pad(get.H % 12 || 12),
    h: () => String(get.H % 12 || 12),
    mm: () => pad(get.m),
    m: () => String(get.m),
    ss: () => pad(get.s),
    s: () => String(get.s),
    SSS: () => pad(get.S, 3),
    A: () => (get.H < 12 ? 'AM' : 'PM'),
    a: () => (get.H < 12 ? 'am' : 'pm'),
    ZZ: () => zone(''),
    Z: () => zone(':'),
  };
  return fmt.replace(/\[([^\]]*)\]|YYYY|YY|SSS|MMM|ddd|MM|DD|HH|hh|mm|ss|ZZ|M|D|H|h|m|s|A|a|Z/g, (t, lit: string | undefined) =>
    lit !== undefined ? lit : tokens[t]!(),
  );
}

function datetime(args: string[], now: Date, utc: boolean): SystemResult {
  const [kind, ...rest] = args;
  if (!kind) return { error: 'expects a format: rfc1123, iso8601 or a quoted format' };
  const d = applyOffset(now, rest);
  if (typeof d === 'string') return { error: d };
  if (kind === 'rfc1123') return { value: utc ? d.toUTCString() : formatDate(d, 'ddd, DD MMM YYYY HH:mm:ss ZZ', false) };
  if (kind === 'iso8601') return { value: utc ? d.toISOString() : formatDate(d, 'YYYY-MM-DDTHH:mm:ss.SSSZ', false) };
  const q = /^(["'])(.*)\1$/.exec(kind);
  if (q) return { value: formatDate(d, q[2]!, utc) };
  return { error: `unknown format "${kind}" (use rfc1123, iso8601 or a quoted format)` };
}

function splitArgs(s: string): string[] {
  return s.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
}

/** Resolves `$name args` (the text between the braces, trimmed). */
export function resolveSystemVariable(expr: string, ctx: SystemContext): SystemResult {
  const [name = '', ...args] = splitArgs(expr);
  if (UNSUPPORTED.has(name)) return { error: `${name} (Azure AD / OIDC token acquisition) is not supported by AuthLint`, unsupported: true };
  switch (name) {
    case '$guid':
      return { value: randomUUID() };
    case '$randomInt': {
      const [a, b] = args.map(Number);
      if (args.length !== 2 || !Number.isInteger(a) || !Number.isInteger(b) || b! <= a!) return { error: '$randomInt expects two integers min max (min < max)' };
      // node:crypto randomInt throws outside these bounds.
      if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b! - a! > 2 ** 48 - 1) return { error: '$randomInt supports safe integers at most 2^48 - 1 apart' };
      return { value: String(randomInt(a!, b!)) };
    }
    case '$timestamp': {
      const d = applyOffset(ctx.now, args);
      return typeof d === 'string' ? { error: `$timestamp ${d}` } : { value: String(Math.floor(d.getTime() / 1000)) };
    }
    case '$datetime':
      return datetime(args, ctx.now, true);
    case '$localDatetime':
      return datetime(args, ctx.now, false);
    case '$processEnv':
    case '$dotenv': {
      let key = args[0];
      if (!key || args.length > 1) return { error: `${name} expects one variable name` };
      if (key.startsWith('%')) {
        const indirect = ctx.environment(key.slice(1));
        if (indirect === undefined) return { error: `${name} ${key}: no environment variable "${key.slice(1)}" names the ${name === '$dotenv' ? '.env' : 'process'} variable` };
        key = indirect;
      }
      const v = name === '$dotenv' ? ctx.dotenv(key) : ctx.processEnv[key];
      if (v === undefined) return { error: name === '$dotenv' ? `no "${key}" in the .env file` : `the process environment has no "${key}"` };
      return { value: v };
    }
    default: {
      const hint = Object.prototype.hasOwnProperty.call(EQUIVALENTS, name) ? `; REST Client's nearest is ${EQUIVALENTS[name]}` : '';
      return { unknown: `{{${expr}}} is not a REST Client system variable: it is sent as typed, as REST Client does (httpYac and JetBrains may fill it in)${hint}` };
    }
  }
}
