// How the CLI involves a person in an OAuth 2.0 grant: the authorization URL and the device
// code go to stderr; a browser opens only when $BROWSER names one.

import { spawn } from 'node:child_process';
import type { Interaction } from '../http/oauth';
import { write } from './io';

/** Milliseconds to wait for the login: $AUTHLINT_LOGIN_TIMEOUT_MS, else 5 minutes. */
export function loginTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const v = env['AUTHLINT_LOGIN_TIMEOUT_MS'];
  return v && /^[1-9]\d*$/.test(v) ? Number(v) : 5 * 60_000;
}

export function cliInteraction(stderr: NodeJS.WritableStream, env: Record<string, string | undefined> = process.env): Interaction {
  const timeoutMs = loginTimeoutMs(env);
  return {
    timeoutMs,
    async onAuthorizationUrl(url) {
      await write(stderr, `authlint: open this URL to log in (waiting ${Math.round(timeoutMs / 1000)} s for the redirect to 127.0.0.1):\n${url}\n`);
      const browser = env['BROWSER'];
      if (browser) {
        try {
          const child = spawn(browser, [url], { stdio: 'ignore', detached: true });
          child.on('error', () => undefined);
          child.unref();
        } catch {
          /* the URL is printed; nothing else to do */
        }
      }
    },
    async onDeviceCode(info) {
      await write(stderr, `authlint: go to ${info.verificationUri} and enter the code ${info.userCode}${info.verificationUriComplete ? ` (or open ${info.verificationUriComplete})` : ''}; waiting up to ${Math.round(Math.min(info.expiresIn * 1000, timeoutMs) / 1000)} s\n`);
    },
  };
}
