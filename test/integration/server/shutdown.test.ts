/** The server as `npm start` runs it: a real process, stopped by a signal. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { io as connect } from 'socket.io-client';

describe('shutdown', () => {
  it('ends with exit code 0 within a few seconds of SIGTERM while clients are connected, and tells them', async () => {
    const child = spawn(process.execPath, ['server/cli/bin.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--log-level', 'silent'], { stdio: ['ignore', 'pipe', 'pipe'] });
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
