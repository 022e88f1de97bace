// A small Express API with the classic authentication mistakes, and their correct twins.
// `npm start` lints this folder; each mistake is explained in a comment above it.
const express = require('express');
const jwt = require('jsonwebtoken');

const app = express();
const SECRET = process.env.JWT_SECRET || 'dev-secret';
const UNAUTHORIZED = 401;

// Mistake: 401 without a WWW-Authenticate challenge (RFC 9110 §15.5.2 says MUST).
function requireToken(req, res, next) {
  const header = req.get('authorization');
  if (!header) return res.status(UNAUTHORIZED).json({ error: 'missing token' });
  try {
    req.user = jwt.verify(header.replace(/^Bearer /, ''), SECRET);
    return next();
  } catch {
    // Mistake: an invalid token is a credentials problem, so 401, not 403.
    return res.status(403).json({ error: 'invalid token' });
  }
}

// Correct: the challenge is set before the 401, and the Bearer error code matches the status.
function requireTokenCorrect(req, res, next) {
  const header = req.get('authorization');
  if (!header) {
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    return res.status(401).json({ error: 'missing token' });
  }
  try {
    req.user = jwt.verify(header.replace(/^Bearer /, ''), SECRET);
    return next();
  } catch {
    res.set('WWW-Authenticate', 'Bearer realm="api", error="invalid_token"');
    return res.status(401).json({ error: 'invalid token' });
  }
}

app.delete('/posts/:id', requireTokenCorrect, (req, res) => {
  // Mistake: the user is known but lacks a role: that is 403, not 401.
  if (!req.user.roles.includes('admin')) return res.sendStatus(401);
  res.sendStatus(204);
});

app.get('/reports', requireTokenCorrect, (req, res) => {
  // Mistake: insufficient_scope goes with 403 (RFC 6750 §3.1), not 401.
  if (!req.user.scope.split(' ').includes('reports:read')) {
    res.set('WWW-Authenticate', 'Bearer realm="api", error="insufficient_scope", scope="reports:read"');
    return res.status(401).end();
  }
  res.json({ reports: [] });
});

app.get('/legacy', (req, res) => {
  // Mistake: Basic needs a realm (RFC 7617 §2).
  res.set('WWW-Authenticate', 'Basic');
  res.sendStatus(401);
});

// Not findings: checks of a status are not emissions.
app.use((err, req, res, next) => {
  if (res.statusCode === 401) console.warn('unauthorized request', req.path);
  next(err);
});

app.get('/me', requireToken, (req, res) => res.json(req.user));
app.listen(process.env.PORT || 3000);
