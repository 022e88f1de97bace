// Generated source files whose analysis once grew faster than the file (issue 12, item 2): many
// routes each setting a challenge, computed-name header writes, status lines, challenge strings,
// one huge template literal, and a few more shapes of the same classes (writes and emissions in
// one function, helpers called from many places, long else-if chains). `n` scales each one; the
// text grows linearly with `n`.

export interface Shape {
  id: string;
  fileName: string;
  /** The size the issue names (the hardening test uses smaller sizes and a growth ratio). */
  full: number;
  make(n: number): string;
}

const lines = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

export const SHAPES: Shape[] = [
  {
    id: 'routes-with-challenge',
    fileName: 'routes.js',
    full: 2000,
    make: (n) =>
      `const express = require('express');\nconst app = express();\n` +
      lines(n, (i) => `app.get('/r${i}', (req, res) => {\n  if (!req.headers.authorization) {\n    res.set('WWW-Authenticate', 'Bearer realm="r${i}"');\n    return res.status(401).json({ error: 'no token' });\n  }\n  res.json({ ok: ${i} });\n});`),
  },
  {
    id: 'computed-header-writes',
    fileName: 'computed.js',
    full: 1000,
    make: (n) => `function handler(req, res, names) {\n${lines(n, (i) => `  res.setHeader(names[${i}], 'v${i}');\n  if (req.q${i}) return res.status(401).end();`)}\n  res.status(401).end();\n}\nmodule.exports = handler;`,
  },
  {
    id: 'status-401-lines',
    fileName: 'statuses.js',
    full: 80000,
    make: (n) => `function handler(req, res) {\n${lines(n, () => '  res.status(401);')}\n}\nmodule.exports = handler;`,
  },
  {
    id: 'challenge-strings',
    fileName: 'challenges.js',
    full: 30000,
    make: (n) => `function handler(req, res) {\n  res.status(401).end();\n}\n${lines(n, (i) => `const c${i} = 'Bearer realm="api${i}", error="invalid_token"';`)}\nmodule.exports = handler;`,
  },
  {
    id: 'huge-template-literal',
    fileName: 'template.js',
    full: 1_500_000,
    make: (n) => `function handler(req, res, realm) {\n  res.set('WWW-Authenticate', \`Bearer realm="\${realm}", ${'scope="a b c" '.repeat(Math.ceil(n / 14))}\`);\n  res.status(401).end();\n}\nmodule.exports = handler;`,
  },
  {
    id: 'writes-and-emissions-in-one-function',
    fileName: 'mixed.js',
    full: 4000,
    make: (n) => `function handler(req, res) {\n${lines(n, (i) => `  res.set('WWW-Authenticate', 'Basic realm="r${i}"');\n  if (req.a${i}) { res.status(401).end(); return; }\n  if (req.b${i}) { res.status(403).end(); return; }`)}\n}\nmodule.exports = handler;`,
  },
  {
    id: 'helper-called-everywhere',
    fileName: 'helper.js',
    full: 4000,
    make: (n) =>
      `function deny(res) {\n  return res.status(403).end();\n}\nfunction challenge(res) {\n  res.set('WWW-Authenticate', 'Bearer');\n}\n` +
      lines(n, (i) => `function h${i}(req, res) {\n  if (!req.user.isAdmin${i}) return deny(res);\n  challenge(res);\n  return res.status(401).end();\n}`),
  },
  {
    id: 'else-if-chain',
    fileName: 'chain.js',
    full: 3000,
    make: (n) => `function handler(req, res) {\n  if (req.a0) { res.status(401).end(); }\n${lines(n, (i) => `  else if (req.token${i} !== 'x') { res.status(${i % 2 ? 401 : 403}).end(); }`)}\n}\nmodule.exports = handler;`,
  },
];
