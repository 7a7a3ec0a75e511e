/// <reference lib="dom" />
/**
 * Cross-origin use in a real browser: a web app served from another origin calls the compatible
 * feeds (with a token header, so the browser sends a preflight), reads `Last-Modified`, and opens
 * the socket.io endpoint, when its origin is listed in `CORS_ORIGINS`; the same calls are blocked
 * by the browser when it is not.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/server.ts';
import { launchBrowser, type Browser } from '../helpers/browser.ts';
import { createSession, startTestServer } from '../helpers/server.ts';

const SOCKET_CLIENT = readFileSync(new URL('../../node_modules/socket.io-client/dist/socket.io.min.js', import.meta.url));

let app: Server;
let appOrigin: string;
let open: RunningServer;
let closed: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The app: a page and the socket.io client, from its own origin.
  app = createServer((req, res) => {
    if (req.url === '/socket.io.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(SOCKET_CLIENT);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>an alert app</title><script src="/socket.io.js"></script>');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appOrigin = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  open = await startTestServer({ corsOrigins: [appOrigin] });
  closed = await startTestServer();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await open?.close();
  await closed?.close();
  app?.close();
});

interface Outcome {
  readonly status?: number;
  readonly lastModified?: string | null;
  readonly iot?: string;
  readonly error?: string;
}

async function fromTheApp(simUrl: string): Promise<Outcome> {
  const page = await browser.newPage();
  await page.goto(appOrigin);
  const outcome = await page.evaluate(async (base) => {
    try {
      const res = await fetch(`${base}/compat/alerts-in-ua/default/v1/iot/active_air_raid_alerts_by_oblast.json`, { headers: { Authorization: 'Bearer app-token' } });
      return { status: res.status, lastModified: res.headers.get('last-modified'), iot: (await res.json()) as string };
    } catch (error) {
      return { error: String(error) };
    }
  }, simUrl);
  await page.close();
  return outcome;
}

describe('CORS_ORIGINS in a browser', () => {
  it('lets a listed origin read a compatible feed with a token header and its Last-Modified', async () => {
    const outcome = await fromTheApp(open.url);
    expect(outcome.error).toBeUndefined();
    expect(outcome.status).toBe(200);
    expect(outcome.iot).toMatch(/^[AN]{27}$/);
    expect(outcome.lastModified).toMatch(/GMT$/);
  });

  it('is blocked by the browser when the origin is not listed', async () => {
    const outcome = await fromTheApp(closed.url);
    expect(outcome.error).toMatch(/Failed to fetch/);
  });

  it('lets a listed origin connect to socket.io over polling, and no other', async () => {
    const listed = await socketFromTheApp(open);
    expect(listed.snapshotOf).toBe(listed.sessionId);
    const unlisted = await socketFromTheApp(closed);
    expect(unlisted.snapshotOf).toBe('refused');
  });
});

async function socketFromTheApp(sim: RunningServer): Promise<{ sessionId: string; snapshotOf: string }> {
  const { id } = await createSession(sim, { scenarioId: '2025-12-06-barrage', autoplay: false });
  const page = await browser.newPage();
  await page.goto(appOrigin);
  const snapshotOf = await page.evaluate(
    ([base, session]) =>
      new Promise<string>((resolve) => {
        type Client = { on(event: string, handler: (payload: { session: { id: string } }) => void): void };
        const io = (window as unknown as { io: (url: string, options: object) => Client }).io;
        const socket = io(base!, { transports: ['polling'], auth: { sessionId: session, role: 'viewer' }, reconnection: false });
        socket.on('snapshot', (snapshot) => resolve(snapshot.session.id));
        socket.on('connect_error', () => resolve('refused'));
      }),
    [sim.url, id] as const,
  );
  await page.close();
  return { sessionId: id, snapshotOf };
}
