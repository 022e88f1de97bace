import type { Request, Response } from 'express';

export function requireAdmin(req: Request, res: Response, next: () => void): void {
  const key = req.get('x-api-key');
  if (!key) {
    res.status(401).json({ error: 'missing key' });
    //         ^^^ missing-www-authenticate
    return;
  }
  next();
}
