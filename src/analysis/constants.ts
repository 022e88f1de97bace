// Static values: numeric statuses and string skeletons (template holes kept as opaque ranges).
import { nullProto } from './lookup';
import { analyze } from '@typescript-eslint/scope-manager';
import type { TSESTree } from '@typescript-eslint/types';
import { keyName, propName, unwrap, type Node } from './ast';

const WELL_KNOWN: Record<string, number> = nullProto({
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  PROXY_AUTHENTICATION_REQUIRED: 407,
  HTTP_STATUS_UNAUTHORIZED: 401,
  HTTP_STATUS_FORBIDDEN: 403,
  HTTP_STATUS_PROXY_AUTHENTICATION_REQUIRED: 407,
  BAD_REQUEST: 400,
  HTTP_STATUS_BAD_REQUEST: 400,
  OK: 200,
});

/**
 * What names stand for. A reference (an Identifier node) is resolved through the scopes of
 * @typescript-eslint/scope-manager, computed on the first such question: each reference finds its
 * own declaration, so a block-scoped `const status` reused in several blocks, or a parameter
 * shadowing a module constant, resolves correctly. A bare name (no node) falls back to the
 * file's declarations by name, ambiguous when a name is declared twice.
 */
export class Bindings {
  private readonly consts = new Map<string, Node | null>();
  /** names imported from a package (not a relative path), for well-known constant names */
  readonly packageImports = new Map<string, string>();
  private program: TSESTree.Program | undefined;
  /** reference -> [value of a never-reassigned binding or null, initialiser or null]; absent: not a local binding */
  private refs: Map<TSESTree.Identifier, [Node | null, Node | null]> | undefined;

  private manager: ScopeManagerLike | undefined;

  /** The file the bindings belong to: enables resolution by scopes (ESLint's scope manager when it has one). */
  attach(program: TSESTree.Program, manager?: ScopeManagerLike): void {
    this.program = program;
    this.manager = manager;
  }

  add(name: string, init: Node | null): void {
    if (this.consts.has(name)) this.consts.set(name, null);
    else this.consts.set(name, init);
  }

  /** The value a constant binding holds: `const s = 401` (or a `let` never assigned again). */
  get(name: string | TSESTree.Identifier): Node | undefined {
    if (typeof name !== 'string') {
      const r = this.resolve(name);
      if (r !== undefined) return r[0] ?? undefined;
      name = name.name;
    }
    return this.consts.get(name) ?? undefined;
  }

  /** The initializer of a let/var/const (for taint, not for values). */
  initOf(name: string | TSESTree.Identifier): Node | undefined {
    if (typeof name !== 'string') {
      const r = this.resolve(name);
      if (r !== undefined) return r[1] ?? undefined;
      name = name.name;
    }
    return this.inits.get(name) ?? undefined;
  }

  /** How many times each name is bound in the file (declarations, parameters, imports, catch clauses...). */
  private readonly declared = new Map<string, number>();

  /** Notes a binding of a name; a name bound once resolves by name, without scope analysis. */
  declare(name: string): void {
    this.declared.set(name, (this.declared.get(name) ?? 0) + 1);
  }

  /**
   * Set once the walk has seen the whole file: the by-name maps are then complete, and a name that
   * no `let`/`const`/`var` binds to a plain identifier has no value or initialiser the scopes
   * could find (what they would resolve it to, a parameter, an import, a pattern, yields none).
   */
  private complete = false;

  /** The walk has seen every declaration of the file. */
  seal(): void {
    this.complete = true;
  }

  /** Every initialiser of the declarators that bind each name to a plain identifier. */
  private readonly allInits = new Map<string, Node[]>();

  /**
   * Whether get() of a reference named `name` may answer an initialiser `test` accepts. What it
   * answers is always the initialiser of one of the file's declarators of that name, or nothing:
   * when none of them passes, the scopes need not be asked (known once the walk is complete).
   */
  mayHold(name: string, test: (init: Node) => boolean): boolean {
    if (!this.complete) return true;
    const inits = this.allInits.get(name);
    return inits !== undefined && inits.some(test);
  }

  private resolve(id: TSESTree.Identifier): [Node | null, Node | null] | undefined {
    if (!this.program) return undefined;
    // bound at most once in the file: the by-name maps already say exactly what the scopes would
    if ((this.declared.get(id.name) ?? 0) <= 1) return undefined;
    // no declarator binds the name: whatever the scopes say, get() and initOf() answer nothing
    if (this.complete && !this.consts.has(id.name)) return undefined;
    if (!this.refs) [this.refs, this.picks] = scopeReferences(this.program, this.manager);
    return this.refs.get(id);
  }

  private readonly inits = new Map<string, Node | null>();
  /** names bound by destructuring an object: `const { email, password } = req.body` */
  private readonly picked = new Map<string, { from: Node; key: string } | null>();

  /**
   * Where a destructured binding comes from: the object it was picked from and the property key
   * (`password` in `const { password } = req.body` is `req.body` and `"password"`).
   */
  pickedFrom(id: TSESTree.Identifier): { from: Node; key: string } | undefined {
    if ((this.declared.get(id.name) ?? 0) <= 1) return this.picked.get(id.name) ?? undefined;
    // bound several times in the file: the declaration the scopes resolve this reference to
    if (!this.program) return undefined;
    // no object pattern with an initialiser binds the name: the scopes would find no source either
    if (this.complete && !this.picked.has(id.name)) return undefined;
    if (!this.refs) [this.refs, this.picks] = scopeReferences(this.program, this.manager);
    return this.picks?.get(id);
  }

  private picks: Map<TSESTree.Identifier, { from: Node; key: string }> | undefined;

  collect(node: Node): void {
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) {
        if (d.id.type === 'ObjectPattern' && d.init) {
          for (const [name, key] of patternKeys(d.id)) this.picked.set(name, this.picked.has(name) ? null : { from: d.init, key });
        }
        if (d.id.type !== 'Identifier') continue;
        if (d.init) {
          const all = this.allInits.get(d.id.name);
          if (all) all.push(d.init);
          else this.allInits.set(d.id.name, [d.init]);
        }
        this.add(d.id.name, node.kind === 'const' && d.init ? d.init : null);
        this.inits.set(d.id.name, this.inits.has(d.id.name) ? null : (d.init ?? null));
      }
    } else if (node.type === 'TSEnumDeclaration') {
      const members = (node as unknown as { body?: { members: TSESTree.TSEnumMember[] }; members?: TSESTree.TSEnumMember[] });
      const list = members.body?.members ?? members.members ?? [];
      const obj: Record<string, number> = Object.create(null);
      for (const m of list) {
        const k = m.id.type === 'Identifier' ? m.id.name : String((m.id as TSESTree.Literal).value);
        if (m.initializer && m.initializer.type === 'Literal' && typeof m.initializer.value === 'number') obj[k] = m.initializer.value;
      }
      this.enums.set(node.id.name, obj);
    } else if (node.type === 'ImportDeclaration' && typeof node.source.value === 'string' && !node.source.value.startsWith('.')) {
      for (const s of node.specifiers) {
        if (s.type === 'ImportSpecifier') {
          const imported = s.imported.type === 'Identifier' ? s.imported.name : String(s.imported.value);
          this.packageImports.set(s.local.name, imported);
        }
      }
    }
  }

  readonly enums = new Map<string, Record<string, number>>();
}

/** Possible numeric values of an expression (both arms of a ternary), or undefined when unknown. */
export function statusValues(node: Node, b: Bindings, depth = 0): number[] | undefined {
  if (depth > 5) return undefined;
  const n = unwrap(node);
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'number' && Number.isInteger(n.value) ? [n.value] : undefined;
    case 'LogicalExpression': {
      // `err.status || 401`, `code ?? 403`: the right side is sent when the left is missing
      if (n.operator === '&&') return undefined;
      const l = statusValues(n.left, b, depth + 1);
      const r = statusValues(n.right, b, depth + 1);
      if (!r) return l;
      return [...new Set([...(l ?? []), ...r])];
    }
    case 'ConditionalExpression': {
      const a = statusValues(n.consequent, b, depth + 1);
      const c = statusValues(n.alternate, b, depth + 1);
      if (!a && !c) return undefined;
      return [...(a ?? []), ...(c ?? [])];
    }
    case 'Identifier': {
      const imported = b.packageImports.get(n.name);
      const known = imported && WELL_KNOWN[imported] !== undefined;
      // no initialiser of the name can give a status, and no import names one: nothing to resolve
      if (!known && !b.mayHold(n.name, mayGiveStatus)) return undefined;
      const init = b.get(n);
      if (init) return statusValues(init, b, depth + 1);
      if (known) return [WELL_KNOWN[imported]!];
      return undefined;
    }
    case 'MemberExpression': {
      const p = propName(n);
      if (!p) return undefined;
      const obj = unwrap(n.object);
      if (obj.type === 'Identifier') {
        const e = b.enums.get(obj.name);
        if (e) return e[p] !== undefined ? [e[p]!] : undefined;
        const init = b.mayHold(obj.name, isObjectLiteral) ? b.get(obj) : undefined;
        if (init && init.type === 'ObjectExpression') {
          for (const prop of init.properties) {
            if (prop.type === 'Property' && keyName(prop) === p) return statusValues(prop.value, b, depth + 1);
          }
          return undefined;
        }
      }
      const known = WELL_KNOWN[p];
      return known !== undefined ? [known] : undefined;
    }
    default:
      return undefined;
  }
}

export interface StaticString {
  text: string;
  /** [start, end) ranges of `text` whose content is unknown (template holes, variables). */
  opaque: Array<[number, number]>;
  /** true when the whole value is a literal, no holes */
  exact: boolean;
  /** The source text of each opaque range's expression (same order as `opaque`). */
  holes?: string[];
}

const HOLE = 'x';

/** The static skeleton of a string expression, or undefined when nothing of it is static. */
export function staticString(node: Node, b: Bindings, depth = 0): StaticString | undefined {
  const n = unwrap(node);
  if (depth > 5) return undefined;
  if (n.type === 'Literal' && typeof n.value === 'string') return { text: n.value, opaque: [], exact: true };
  if (n.type === 'TemplateLiteral') {
    let text = '';
    const opaque: Array<[number, number]> = [];
    const holes: string[] = [];
    n.quasis.forEach((q, i) => {
      text += q.value.cooked ?? q.value.raw;
      if (i < n.expressions.length) {
        const expr = n.expressions[i]!;
        const inner = staticString(expr, b, depth + 1);
        if (inner && inner.exact) text += inner.text;
        else {
          opaque.push([text.length, text.length + HOLE.length]);
          holes.push(exprName(expr));
          text += HOLE;
        }
      }
    });
    return { text, opaque, exact: opaque.length === 0, holes };
  }
  if (n.type === 'BinaryExpression' && n.operator === '+') {
    const l = staticString(n.left, b, depth + 1) ?? hole(n.left);
    const r = staticString(n.right, b, depth + 1) ?? hole(n.right);
    if (l.text === HOLE && !l.exact && r.text === HOLE && !r.exact) return undefined;
    const shift = l.text.length;
    return {
      text: l.text + r.text,
      opaque: [...l.opaque, ...r.opaque.map(([s, e]) => [s + shift, e + shift] as [number, number])],
      exact: l.exact && r.exact,
      holes: [...(l.holes ?? []), ...(r.holes ?? [])],
    };
  }
  if (n.type === 'Identifier' && b.mayHold(n.name, mayGiveString)) {
    const init = b.get(n);
    if (init) return staticString(init, b, depth + 1);
  }
  return undefined;
}

/** The expressions statusValues() may find a status in (any other gives none). */
function mayGiveStatus(init: Node): boolean {
  const n = unwrap(init);
  return n.type === 'Literal' || n.type === 'LogicalExpression' || n.type === 'ConditionalExpression' || n.type === 'Identifier' || n.type === 'MemberExpression';
}

/** The expressions staticString() may find a string in (any other gives none). */
function mayGiveString(init: Node): boolean {
  const n = unwrap(init);
  return n.type === 'Literal' || n.type === 'TemplateLiteral' || n.type === 'BinaryExpression' || n.type === 'Identifier';
}

function isObjectLiteral(init: Node): boolean {
  return init.type === 'ObjectExpression';
}

function hole(expr: Node): StaticString {
  return { text: HOLE, opaque: [[0, HOLE.length]], exact: false, holes: [exprName(expr)] };
}

/** A short name for a hole's expression: `prmUrl`, `opts.realm`, `getUrl()`. */
function exprName(n: Node): string {
  const u = unwrap(n);
  if (u.type === 'Identifier') return u.name;
  if (u.type === 'MemberExpression') return `${exprName(u.object)}.${propName(u) ?? '?'}`;
  if (u.type === 'CallExpression') return `${exprName(u.callee)}()`;
  return '?';
}

/**
 * What the engine reads of a scope manager: @typescript-eslint/scope-manager's, or the one ESLint
 * already built for its own tree (eslint-scope for espree), which has the same shape.
 */
export interface ScopeManagerLike {
  scopes: Array<{
    variables: Array<{
      name: string;
      defs: Array<{ type: string; node: unknown; parent?: unknown }>;
      references: Array<{ identifier: unknown; isWrite(): boolean }>;
    }>;
  }>;
}

/** `{ a, b: c, d = 1 }`: each bound name with the key it is picked by (one level, no rest). */
function patternKeys(p: TSESTree.ObjectPattern): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const prop of p.properties) {
    if (prop.type !== 'Property') continue;
    const key = keyName(prop);
    const v = prop.value.type === 'AssignmentPattern' ? prop.value.left : prop.value;
    if (key && v.type === 'Identifier') out.push([v.name, key]);
  }
  return out;
}

/** Every reference of the file's variables declared once: the constant value (if never reassigned) and the initialiser. */
function scopeReferences(program: TSESTree.Program, given?: ScopeManagerLike): [Map<TSESTree.Identifier, [Node | null, Node | null]>, Map<TSESTree.Identifier, { from: Node; key: string }>] {
  const out = new Map<TSESTree.Identifier, [Node | null, Node | null]>();
  const picks = new Map<TSESTree.Identifier, { from: Node; key: string }>();
  let manager: ScopeManagerLike;
  try {
    if (given) manager = given;
    else {
      const own = analyzeWithLib(program);
      manager = own.manager;
      // the file's references to the standard library's globals, resolved as analyze() with its
      // default lib would: to a variable without definitions (the first variables it lists)
      for (const r of own.libRefs) out.set(r.identifier, [null, null]);
    }
  } catch {
    return [out, picks];
  }
  for (const scope of manager.scopes) {
    for (const v of scope.variables) {
      let value: Node | null = null;
      let init: Node | null = null;
      const def = v.defs.length === 1 ? v.defs[0]! : undefined;
      const node = def?.node as TSESTree.Node | undefined;
      if (def && def.type === 'Variable' && node && node.type === 'VariableDeclarator' && node.id.type === 'ObjectPattern' && node.init) {
        // `const { password } = req.body`: the source and key, for provenance
        const hit = patternKeys(node.id).find(([n]) => n === v.name);
        for (const r of v.references) {
          out.set(r.identifier as TSESTree.Identifier, [null, null]);
          if (hit) picks.set(r.identifier as TSESTree.Identifier, { from: node.init, key: hit[1] });
        }
        continue;
      }
      if (def && def.type === 'Variable' && node && node.type === 'VariableDeclarator' && node.id.type === 'Identifier') {
        init = (node.init as Node | null) ?? null;
        const writes = v.references.filter((r) => r.isWrite()).length;
        const parent = def.parent as TSESTree.Node | undefined;
        const isConst = parent?.type === 'VariableDeclaration' && parent.kind === 'const';
        if (init && (isConst || writes <= 1)) value = init;
      } else if (def && def.type !== 'Variable') {
        // parameters, functions, classes, imports, enums: not a value the file gives here
        if (def.type === 'ImportBinding' || def.type === 'TSEnumName') continue; // resolved by name (package constants, enums)
      }
      for (const r of v.references) out.set(r.identifier as TSESTree.Identifier, [value, init]);
    }
  }
  return [out, picks];
}

type LibTable = Map<string, { type: boolean; value: boolean }>;
let libTable: LibTable | null | undefined;

/**
 * The globals analyze() defines for its default lib ('esnext'), read once from the analysis of an
 * empty program. Null when the lib holds a name the analysis itself looks up while it walks the
 * tree (the JSX pragma), where a file analysed without the lib could differ in more than its
 * references to these globals.
 */
function defaultLib(): LibTable | null {
  if (libTable !== undefined) return libTable;
  const empty = { type: 'Program', body: [], sourceType: 'script', range: [0, 0], comments: [] } as unknown as TSESTree.Program;
  const table: LibTable = new Map();
  for (const v of analyze(empty, { sourceType: 'script' }).globalScope!.variables) {
    const lib = v as unknown as { isTypeVariable: boolean; isValueVariable: boolean };
    table.set(v.name, { type: lib.isTypeVariable, value: lib.isValueVariable });
  }
  return (libTable = table.has('React') ? null : table);
}

/**
 * analyze(program) with its default lib, made cheaper: defining the lib's hundreds of globals
 * costs a small file more than the rest of its scope analysis. The file is analysed without the
 * lib; its unresolved references whose name the lib defines (as a value or as a type, as the
 * reference needs) are what would have resolved to the lib. When the file itself declares a
 * global with a lib name (the lib variable would have taken that definition, and with it its
 * type-or-value kind), the file is analysed again with the lib, as before.
 */
function analyzeWithLib(program: TSESTree.Program): { manager: ScopeManagerLike; libRefs: Array<{ identifier: TSESTree.Identifier }> } {
  const sourceType = program.sourceType === 'module' ? 'module' : 'script';
  const lib = defaultLib();
  if (lib) {
    const m = analyze(program, { sourceType, lib: [] });
    const global = m.globalScope!;
    let exact = true;
    // (the one global it defines anyway, the implicit `const` of `as const`, has no definition)
    for (const v of global.variables) if (v.defs.length > 0 && lib.has(v.name)) exact = false;
    if (exact) {
      const libRefs = global.through.filter((r) => {
        const v = lib.get(r.identifier.name);
        return v !== undefined && ((r.isTypeReference && v.type) || (r.isValueReference && v.value));
      });
      return { manager: m as unknown as ScopeManagerLike, libRefs: libRefs as Array<{ identifier: TSESTree.Identifier }> };
    }
  }
  return { manager: analyze(program, { sourceType }) as unknown as ScopeManagerLike, libRefs: [] };
}
