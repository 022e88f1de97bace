// The JSONPath subset request variables need (`{{login.response.body.$.data.token}}`):
// `$`, `.name`, `['name']` / `["name"]`, `[n]` (negative counts from the end), `[*]` / `.*`,
// and `..name` (recursive descent). Returns every match in document order.
// As in the JSONPath library REST Client calls, a path without the leading `$` is read from the
// root: `data.token` is `$.data.token`, `[0].id` is `$[0].id`, and `.0` indexes an array.

type Step = { kind: 'child'; key: string | number } | { kind: 'all' } | { kind: 'deep'; key: string };

export function parseJsonPath(path: string): Step[] | undefined {
  if (path === '') return undefined;
  // `$` alone or followed by a step is the root; otherwise the path starts at the root implicitly
  // (a key that merely begins with `$`, like `$id`, is a key).
  const rooted = path === '$' || /^\$[.[]/.test(path);
  if (!rooted) path = /^[.[]/.test(path) ? `$${path}` : `$.${path}`;
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const rest = path.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^\.\.([\w$-]+)/.exec(rest))) steps.push({ kind: 'deep', key: m[1]! });
    else if ((m = /^\.\*/.exec(rest)) || (m = /^\[\*\]/.exec(rest))) steps.push({ kind: 'all' });
    else if ((m = /^\.([\w$-]+)/.exec(rest))) steps.push({ kind: 'child', key: m[1]! });
    else if ((m = /^\[(-?\d+)\]/.exec(rest))) steps.push({ kind: 'child', key: Number(m[1]) });
    else if ((m = /^\[(['"])(.*?)\1\]/.exec(rest))) steps.push({ kind: 'child', key: m[2]! });
    else return undefined;
    i += m[0].length;
  }
  return steps;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return Object.values(v as Record<string, unknown>);
  return [];
}

function deep(v: unknown, key: string, out: unknown[]): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, key)) {
    out.push((v as Record<string, unknown>)[key]);
  }
  for (const c of children(v)) deep(c, key, out);
}

export function queryJsonPath(doc: unknown, path: string): unknown[] | undefined {
  const steps = parseJsonPath(path);
  if (!steps) return undefined;
  let cur: unknown[] = [doc];
  for (const s of steps) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (s.kind === 'all') next.push(...children(v));
      else if (s.kind === 'deep') deep(v, s.key, next);
      else if (typeof s.key === 'number' && Array.isArray(v)) {
        const idx = s.key < 0 ? v.length + s.key : s.key;
        if (idx >= 0 && idx < v.length) next.push(v[idx]);
      } else if (typeof s.key === 'string' && Array.isArray(v) && /^\d+$/.test(s.key)) {
        const idx = Number(s.key);
        if (idx < v.length) next.push(v[idx]);
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, String(s.key))) {
        next.push((v as Record<string, unknown>)[String(s.key)]);
      }
    }
    cur = next;
  }
  return cur;
}
