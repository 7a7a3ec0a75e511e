/** The server as `npm start` runs it: a real process, stopped by a signal. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { connect as tcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect } from 'socket.io-client';

/** Each server keeps its database in a folder of its own, never in the checkout. */
const env = () => ({ ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), 'ars-shutdown-')) });

function serve(): Promise<{ child: ReturnType<typeof spawn>; url: string }> {
  const child = spawn(process.execPath, ['server/cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'], env: env() });
  let output = '';
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      const match = /serving on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
  });
}

describe('shutdown', () => {
  it('exits with code 0 within 6 s of SIGTERM while a request\'s body never finishes', async () => {
    const { child, url } = await serve();
    const { hostname, port } = new URL(url);
    const hanging = tcp(Number(port), hostname);
    hanging.on('error', () => {});
    await once(hanging, 'connect');
    hanging.write('POST /api/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"scen');
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(6000);
    hanging.destroy();
  });

  it('ends with exit code 0 within a few seconds of SIGTERM while clients are connected, and tells them', async () => {
    const child = spawn(process.execPath, ['server/cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'], env: env() });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${output}`)), 15_000);
      child.stdout.on('data', () => {
        const match = /serving on (http:\/\/\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    const created = (await (await fetch(`${url}/api/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenarioId":"2025-12-06-barrage","speed":60}' })).json()) as { id: string };
    const clients = Array.from({ length: 5 }, () => connect(url, { auth: { sessionId: created.id, role: 'viewer' }, transports: ['websocket'], reconnection: false, forceNew: true }));
    await Promise.all(clients.map((c) => new Promise((resolve) => c.once('snapshot', resolve))));
    const told = clients.map((c) => new Promise<string>((resolve) => c.once('bye', (b: { reason: string }) => resolve(b.reason))));

    const started = Date.now();
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await Promise.all(told)).toEqual(Array(5).fill('SIGTERM'));
    for (const c of clients) c.disconnect();
  });
});
