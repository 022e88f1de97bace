// Helpers for the request-runner tests: fixture paths from the repo root, and starting /
// stopping real servers on 127.0.0.1 port 0.

import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { RequestSpec } from '../../../src/http/request-build';

export function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(join(d, 'package.json'))) {
    if (dirname(d) === d) throw new Error('package.json not found above ' + __dirname);
    d = dirname(d);
  }
  return d;
}

export function fixture(...parts: string[]): string {
  return join(repoRoot(), 'test', 'fixtures', 'http', ...parts);
}

/** Listens on 127.0.0.1:0 and resolves with the base URL. */
export function listen(server: Server, scheme: 'http' | 'https' = 'http'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve(`${scheme}://127.0.0.1:${port}`);
    });
  });
}

/** Closes the server and every connection still open on it. */
export function close(server: Server | undefined): Promise<void> {
  if (!server || !server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** A request to send, as request-build would produce it. */
export function spec(url: string, extra: Partial<RequestSpec> = {}): RequestSpec {
  return { method: 'GET', url, headers: [], line: 1, noRedirect: false, noCookieJar: false, ...extra };
}
