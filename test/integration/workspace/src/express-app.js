const express = require('express');

const app = express();

app.get('/me', (req, res) => {
  if (!req.headers.authorization) {
    return res.status(401).json({ error: 'login required' });
    //                ^^^ missing-www-authenticate
  }
  res.json({ user: 'demo' });
});

app.get('/admin', (req, res) => {
  if (!req.headers.authorization) {
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    return res.status(401).end();
  }
  res.json({ ok: true });
});

module.exports = app;
