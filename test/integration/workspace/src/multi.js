const express = require('express');

const app = express();

app.get('/me', (req, res) => {
  if (!req.headers.authorization) {
    return res.status(401).send('login required');
    //                ^^^ missing-www-authenticate
  }
  res.json({ user: 'demo' });
});

app.get('/proxy', (req, res) => {
  if (!req.headers['proxy-authorization']) {
    return res.status(407).end();
    //                ^^^ missing-proxy-authenticate
  }
  res.json({ ok: true });
});

app.get('/team', (req, res) => {
  if (!req.headers.authorization) {
    return res.status(403).json({ error: 'forbidden' });
    //                ^^^ 403-for-missing-credentials
  }
  res.json({ team: [] });
});

module.exports = app;
