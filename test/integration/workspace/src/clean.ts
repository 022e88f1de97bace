import express from 'express';

const app = express();

app.get('/me', (req, res) => {
  if (!req.headers.authorization) {
    res.set('WWW-Authenticate', 'Bearer realm="api"');
    res.status(401).json({ error: 'login required' });
    return;
  }
  res.json({ user: 'demo' });
});

export default app;
