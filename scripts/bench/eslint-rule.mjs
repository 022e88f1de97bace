// The ESLint side of the workspace comparison: one rule of the same shape as AuthLint's walk.
// It visits every call and every assignment, looks at member callees and member targets
// (res.status(401), reply.code(401), res.statusCode = 401, ctx.status = 401) and reports a
// literal 401 sent without a challenge nearby, which almost never fires on this corpus.
const CALLS = new Set(['status', 'sendStatus', 'writeHead', 'code', 'setHeader', 'header', 'set', 'json', 'send', 'end', 'throw']);
const TARGETS = new Set(['status', 'statusCode', 'body']);

export const rule = {
  meta: { type: 'problem', schema: [], messages: { bare401: 'A 401 without WWW-Authenticate nearby.' } },
  create(context) {
    return {
      CallExpression(node) {
        const c = node.callee;
        if (c.type !== 'MemberExpression' || c.computed || c.property.type !== 'Identifier' || !CALLS.has(c.property.name)) return;
        const a = node.arguments[0];
        if (a && a.type === 'Literal' && a.value === 401 && !/www-authenticate/i.test(context.sourceCode.getText(node.parent))) {
          context.report({ node, messageId: 'bare401' });
        }
      },
      AssignmentExpression(node) {
        const l = node.left;
        if (l.type !== 'MemberExpression' || l.computed || l.property.type !== 'Identifier' || !TARGETS.has(l.property.name)) return;
        if (node.right.type === 'Literal' && node.right.value === 401) context.report({ node, messageId: 'bare401' });
      },
    };
  },
};

export function flatConfig(tsParser) {
  return [
    {
      files: ['**/*.{js,mjs,cjs,ts,mts,cts}'],
      languageOptions: { parser: tsParser },
      linterOptions: { reportUnusedDisableDirectives: 'off' },
      plugins: { bench: { rules: { 'auth-shape': rule } } },
      rules: { 'bench/auth-shape': 'error' },
    },
  ];
}
