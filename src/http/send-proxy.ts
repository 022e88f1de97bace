// HTTP_PROXY / HTTPS_PROXY / NO_PROXY (lower-case forms too). Loopback hosts (localhost,
// 127.0.0.0/8, ::1) always bypass the proxy, as Go's net/http does.
// http targets go to the proxy in absolute-form; https targets through a CONNECT tunnel.

import { say } from './say';
import * as http from 'node:http';
import type { Socket } from 'node:net';
import type { HeaderList } from './types';
import { classifyError, SendFailure } from './send-errors';

export type ProxyEnv = Record<string, string | undefined>;

function envVar(env: ProxyEnv, name: string): string | undefined {
  return env[name] ?? env[name.toLowerCase()] ?? undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]' || host === '::1';
}

function bypassed(url: URL, noProxy: string | undefined): boolean {
  const host = url.hostname.toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  for (let entry of (noProxy ?? '').split(/[\s,]+/).filter(Boolean)) {
    if (entry === '*') return true;
    let entryPort: string | undefined;
    const m = /^(.*):(\d+)$/.exec(entry);
    if (m && !entry.startsWith('[')) [entry, entryPort] = [m[1]!, m[2]];
    if (entryPort && entryPort !== port) continue;
    entry = entry.toLowerCase().replace(/^\*?\./, '.');
    if (host === entry.replace(/^\./, '') || (entry.startsWith('.') && host.endsWith(entry)) || host.endsWith(`.${entry}`)) return true;
  }
  return isLoopback(host);
}

/** The proxy to use for `url`, or undefined to connect directly. */
export function proxyFor(url: URL, env: ProxyEnv): URL | undefined {
  const raw = url.protocol === 'https:' ? envVar(env, 'HTTPS_PROXY') : envVar(env, 'HTTP_PROXY');
  if (!raw || bypassed(url, envVar(env, 'NO_PROXY'))) return undefined;
  try {
    return new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new SendFailure('proxy', say`The proxy setting "${raw}" is not a valid URL.`);
  }
}

/** Basic Proxy-Authorization from the proxy URL's user info, if any. */
export function proxyAuthFromUrl(proxy: URL): string | undefined {
  if (!proxy.username) return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

export type TunnelResult =
  | { socket: Socket }
  | { status: number; statusText: string; headers: HeaderList };

/** Opens a CONNECT tunnel to `target` through `proxy`. A non-2xx answer is returned as is. */
export function openTunnel(proxy: URL, target: URL, headers: HeaderList, timeoutMs: number): Promise<TunnelResult> {
  const port = target.port || '443';
  const authority = `${target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname}:${port}`;
  return new Promise((resolve, reject) => {
    const flat: string[] = [];
    for (const [k, v] of [['Host', authority], ...headers] as HeaderList) flat.push(k, v);
    const req = http.request({ host: proxy.hostname, port: proxy.port || 80, method: 'CONNECT', path: authority, headers: flat as unknown as http.OutgoingHttpHeaders, agent: false });
    const timer = setTimeout(() => req.destroy(new SendFailure('timeout', say`The proxy ${proxy.host} did not answer CONNECT ${authority} within ${timeoutMs} ms.`)), timeoutMs);
    req.once('connect', (res, socket) => {
      clearTimeout(timer);
      if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) return resolve({ socket });
      const hs: HeaderList = [];
      for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) hs.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: hs });
    });
    req.once('error', (err) => {
      clearTimeout(timer);
      reject(classifyError(err, target, proxy));
    });
    req.end();
  });
}
