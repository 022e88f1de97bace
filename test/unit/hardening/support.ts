// Helpers of the hardening suite: repo paths, real servers on 127.0.0.1 (every socket tracked so
// after-hooks can close them all), a hang detector, and running the CLI in-process or built.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import type * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import * as net from 'node:net';
import { dirname, join } from 'node:path';
import { runSend } from '../../../src/cli/send';

export function repoRoot(): string {
  let d = __dirname;
  while (!existsSync(join(d, 'package.json'))) {
    if (dirname(d) === d) throw new Error(`package.json not found above ${__dirname}`);
    d = dirname(d);
  }
  return d;
}

/** Seconds a single pure call may take before we call it a hang (not a speed assertion). */
export const HANG_MS = 2000;

/** Runs fn and fails when it throws or runs longer than the hang bound; returns its result. */
export function noHang<T>(what: string, fn: () => T, boundMs = HANG_MS): T {
  const t = process.hrtime.bigint();
  const out = fn();
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (ms > boundMs) throw new Error(`${what} took ${ms.toFixed(0)} ms (hang bound ${boundMs} ms)`);
  return out;
}

/** A server of any kind whose sockets are tracked, so close() never waits for a client. */
export interface Tracked {
  server: net.Server;
  base: string;
  close(): Promise<void>;
}

export async function track(server: net.Server, scheme: 'http' | 'https' = 'http'): Promise<Tracked> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    base: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        if (!server.listening) return resolve();
        server.close(() => resolve());
      }),
  };
}

export function httpServer(handler: http.RequestListener, opts: http.ServerOptions = {}): Promise<Tracked> {
  return track(http.createServer(opts, handler));
}

/** A raw TCP server: the handler writes whatever bytes it likes. */
export function rawServer(onSocket: (s: Socket, firstChunk: Buffer) => void): Promise<Tracked> {
  return track(net.createServer((s) => {
    s.on('error', () => undefined);
    s.once('data', (c: Buffer) => onSocket(s, c));
  }));
}

export function httpsTracked(server: https.Server): Promise<Tracked> {
  return track(server, 'https');
}

class Sink {
  text = '';
  write(s: string | Buffer): boolean {
    this.text += s.toString();
    return true;
  }
}

/** `authlint send ...argv` in-process. */
export async function send(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await runSend(argv, { stdout: stdout as unknown as NodeJS.WritableStream, stderr: stderr as unknown as NodeJS.WritableStream });
  return { code, out: stdout.text, err: stderr.text };
}

/** The built CLI (`node dist/cli.js ...argv`), killed after limitMs if it does not end. */
export function cli(argv: string[], opts: { stdin?: string | Buffer; limitMs?: number; cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number | null; out: string; err: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'cli.js'), ...argv], { cwd: opts.cwd ?? repoRoot(), stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...(opts.env ?? {}) } });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.limitMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, killed });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}

/** mulberry32: a small seeded PRNG, so every sample reproduces. */
export function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
