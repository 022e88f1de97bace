// The application model across the files of a package (linter-notes §D.10.2 b): an injector
// covers what is registered on its own app, router or plugin context and what is mounted under
// it, through the package's imports; a context whose mount the model cannot see stays covered.
import * as assert from 'node:assert/strict';
import { analyze, findingsOf, projectFactsOf } from '../../../src/analysis/lint';

const HANDLER = `(err, req, res, next) => { if (err.status === 401) res.set('WWW-Authenticate', 'Bearer realm="api"'); res.status(err.status || 500).json({ error: err.message }); }`;
const USERS = `const express = require('express');\nconst createError = require('http-errors');\nconst users = express.Router();\nusers.get('/me', (req, res, next) => { if (!req.get('Authorization')) return next(createError(401)); res.json({}); });\nmodule.exports = users;`;

function findingsIn(files: Record<string, string>, target: string): string[] {
  const analyses = Object.entries(files).map(([name, text]) => analyze(text, name));
  const project = projectFactsOf(analyses);
  const a = analyses[Object.keys(files).indexOf(target)]!;
  return findingsOf(a, {}, project).findings.map((f) => f.ruleId);
}

describe('application model: injectors across the files of a package', () => {
  it('an app-level error handler covers a router of another file mounted under the app', () => {
    const app = `const express = require('express');\nconst users = require('./routes/users');\nconst app = express();\napp.use('/users', users);\napp.use(${HANDLER});\nmodule.exports = app;`;
    assert.deepEqual(findingsIn({ 'src/app.js': app, 'src/routes/users.js': USERS }, 'src/routes/users.js'), []);
  });

  it('a router-level error handler does not cover a sibling router of another file', () => {
    const admin = `const express = require('express');\nconst admin = express.Router();\nadmin.use(${HANDLER});\nmodule.exports = admin;`;
    const app = `const express = require('express');\nconst users = require('./routes/users');\nconst admin = require('./routes/admin');\nconst app = express();\napp.use('/admin', admin);\napp.use('/users', users);\napp.listen(3000);`;
    const files = { 'src/app.js': app, 'src/routes/users.js': USERS, 'src/routes/admin.js': admin };
    assert.deepEqual(findingsIn(files, 'src/routes/users.js'), ['missing-www-authenticate']);
  });

  it('keeps a router whose mount it cannot see covered (it may be mounted under the handler)', () => {
    const admin = `const express = require('express');\nconst admin = express.Router();\nadmin.use(${HANDLER});\nmodule.exports = admin;`;
    // nothing in the package mounts users: the model cannot tell where it goes
    assert.deepEqual(findingsIn({ 'src/routes/users.js': USERS, 'src/routes/admin.js': admin }, 'src/routes/users.js'), []);
  });

  it('a Fastify plugin registered from another file is below the root instance', () => {
    const plugin = `module.exports = async function orders(instance) { instance.get('/orders', async (request) => { if (!request.headers.authorization) { const err = new Error('Sign in'); err.statusCode = 401; throw err; } return []; }); };`;
    const app = `const Fastify = require('fastify');\nconst orders = require('./orders');\nconst app = Fastify();\napp.setErrorHandler((error, request, reply) => { if (error.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="api"'); reply.code(error.statusCode || 500).send({}); });\napp.register(orders);\napp.listen({ port: 3000 });`;
    assert.deepEqual(findingsIn({ 'src/app.js': app, 'src/orders.js': plugin }, 'src/orders.js'), []);
    // the same plugin next to an error handler set inside another encapsulated plugin
    const other = `module.exports = async function account(instance) { instance.setErrorHandler((error, request, reply) => { if (error.statusCode === 401) reply.header('WWW-Authenticate', 'Bearer realm="api"'); reply.code(error.statusCode || 500).send({}); }); instance.get('/account', async () => ({})); };`;
    const app2 = `const Fastify = require('fastify');\nconst orders = require('./orders');\nconst account = require('./account');\nconst app = Fastify();\napp.register(account);\napp.register(orders);\napp.listen({ port: 3000 });`;
    assert.deepEqual(findingsIn({ 'src/app.js': app2, 'src/orders.js': plugin, 'src/account.js': other }, 'src/orders.js'), ['missing-www-authenticate']);
  });
});
