/**
 * Webhooks against real receivers on 127.0.0.1: every alert change of a session once (by its
 * idempotency key), signed, after failures retried with backoff; the delivery log; refused
 * targets; and across a server process killed and started again on the same DATA_DIR.
 */
import { serveProcess } from '../../helpers/process.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createdWebhookSchema, deliveryLogSchema } from '../../../server/contract/webhooks.ts';
import type { TimelineEvent } from '../../../server/domain/events.ts';
import type { RunningServer } from '../../../server/server.ts';
import { playNight, loadScenario } from '../../../server/testing/index.ts';
import { api, createSession, startTestServer, until } from '../../helpers/server.ts';
import { startReceiver } from './receiver.ts';

const SEED = '2025-12-06-barrage';
const SECRET = 'a-secret-of-at-least-16';
let fromMs = 0;
let changes: TimelineEvent[] = [];

beforeAll(async () => {
  const scenario = await loadScenario();
  // The night's last four hours: 23 alert changes, all in their first hour (a second at 3600x).
  fromMs = scenario.durationMs - 4 * 3600_000;
  changes = (await playNight({ scenario, positionMs: fromMs })).events.filter((e) => e.type === 'alert.start' || e.type === 'alert.end');
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });


describe('webhooks in one process', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startTestServer({ webhookDelivery: { baseDelayMs: 40, pollMs: 20 } });
  });
  afterAll(() => server.close());

  it('records each alert change exactly once with a valid signature although the first two calls fail; the log shows the attempts', async () => {
    const receiver = await startReceiver(SECRET, 2);
    const s = await createSession(server, { scenarioId: SEED, positionMs: fromMs, speed: 3600, autoplay: false });
    const hook = await api(server, `/api/sessions/${s.id}/webhooks`, { method: 'POST', headers: auth(s.instructorToken), json: { url: receiver.url, secret: SECRET } });
    expect(hook.status).toBe(201);
    const created = createdWebhookSchema.parse(hook.body);
    await api(server, `/api/sessions/${s.id}/control`, { method: 'POST', headers: auth(s.instructorToken), json: { action: 'play' } });
    await until(() => receiver.recorded.size >= changes.length, 'every alert change', 20_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.recorded.size).toBe(changes.length);
    expect(receiver.badSignatures).toBe(0);
    expect(receiver.calls.slice(0, 2).map((c) => c.status)).toEqual([500, 500]);
    const got = [...receiver.recorded.values()].sort((a, b) => a.event.seq - b.event.seq);
    expect(got.map((p) => p.event.id)).toEqual(changes.map((e) => e.id));
    for (const p of got) expect(p).toMatchObject({ sessionId: s.id, scenarioId: SEED, type: p.event.type });

    // The receiver has the last delivery a moment before the server has recorded its answer.
    const readLog = async () => deliveryLogSchema.parse((await api(server, `/api/sessions/${s.id}/webhooks/${created.id}/deliveries`, { headers: auth(s.instructorToken) })).body);
    const logDeadline = Date.now() + 5000;
    while (!(await readLog()).deliveries.every((d) => d.state === 'delivered') && Date.now() < logDeadline) await new Promise((r) => setTimeout(r, 50));
    const log = await readLog();
    expect(log.deliveries).toHaveLength(changes.length);
    expect(log.deliveries.every((d) => d.state === 'delivered')).toBe(true);
    const retried = log.deliveries.filter((d) => d.attempts.length > 1);
    expect(retried.length).toBeGreaterThan(0);
    for (const d of retried) expect(d.attempts.map((a) => a.status).at(-1)).toBe(200);
    expect(log.deliveries.flatMap((d) => d.attempts).filter((a) => a.status === 500)).toHaveLength(2);
    await receiver.close();
  });

  it('refuses non-http targets, user info, hosts off the list, and others than the instructor', async () => {
    const s = await createSession(server, { scenarioId: SEED, autoplay: false });
    const post = (json: unknown, headers = auth(s.instructorToken)) => api<{ error: { code: string } }>(server, `/api/sessions/${s.id}/webhooks`, { method: 'POST', headers, json });
    expect((await post({ url: 'file:///etc/passwd' })).status).toBe(400);
    expect((await post({ url: 'ftp://127.0.0.1/x' })).status).toBe(400);
    expect((await post({ url: 'http://user:pw@127.0.0.1/x' })).status).toBe(400);
    expect((await post({ url: 'http://127.0.0.1/x', secret: 'short' })).status).toBe(400);
    expect((await post({ url: 'http://127.0.0.1/x' }, {} as never)).status).toBe(401);
    const made = await post({ url: 'http://127.0.0.1:9/x' });
    expect(made.status).toBe(201);
    expect(createdWebhookSchema.parse(made.body).secret.length).toBeGreaterThanOrEqual(16);
    const listed = await api<{ webhooks: Array<{ id: string; secret?: string }> }>(server, `/api/sessions/${s.id}/webhooks`, { headers: auth(s.instructorToken) });
    expect(listed.body.webhooks).toHaveLength(1);
    expect(listed.body.webhooks[0]!.secret).toBeUndefined();
    expect((await api(server, `/api/sessions/${s.id}/webhooks/${listed.body.webhooks[0]!.id}`, { method: 'DELETE', headers: auth(s.instructorToken) })).status).toBe(204);

    const listedOnly = await startTestServer({ webhookAllowedHosts: ['hooks.example.org'] });
    const t = await createSession(listedOnly, { scenarioId: SEED, autoplay: false });
    const off = await api<{ error: { code: string } }>(listedOnly, `/api/sessions/${t.id}/webhooks`, { method: 'POST', headers: auth(t.instructorToken), json: { url: 'http://127.0.0.1:9/x' } });
    expect(off.status).toBe(403);
    const on = await api(listedOnly, `/api/sessions/${t.id}/webhooks`, { method: 'POST', headers: auth(t.instructorToken), json: { url: 'https://hooks.example.org/x' } });
    expect(on.status).toBe(201);
    await listedOnly.close();
  });
});

describe('webhooks across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'air-raid-sim-webhooks-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const serve = () => serveProcess(['--data-dir', dataDir, '--webhook-retry-ms', '4000']);

  it('delivers what was pending when the process was killed, each change once, and the log is readable after', async () => {
    const receiver = await startReceiver(SECRET, 2);
    const first = await serve();
    const call = async (url: string, path: string, init: { method?: string; token?: string; json?: unknown } = {}) => {
      const res = await fetch(`${url}${path}`, {
        method: init.method ?? 'GET',
        headers: { ...(init.token ? auth(init.token) : {}), ...(init.json ? { 'content-type': 'application/json' } : {}) },
        ...(init.json ? { body: JSON.stringify(init.json) } : {}),
      });
      return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
    };
    const created = (await call(first.url, '/api/sessions', { method: 'POST', json: { scenarioId: SEED, positionMs: fromMs, speed: 3600, autoplay: false } })).body as { id: string; instructorToken: string };
    const hook = await call(first.url, `/api/sessions/${created.id}/webhooks`, { method: 'POST', token: created.instructorToken, json: { url: receiver.url, secret: SECRET } });
    expect(hook.status).toBe(201);
    await call(first.url, `/api/sessions/${created.id}/control`, { method: 'POST', token: created.instructorToken, json: { action: 'play' } });
    // Every change has been tried once (two of them failed and wait 2–4 s for their retry): kill.
    await until(() => receiver.calls.length >= changes.length, 'a first call for every change', 20_000);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(receiver.recorded.size).toBe(changes.length - 2);

    const second = await serve();
    try {
      await until(() => receiver.recorded.size >= changes.length, 'the pending deliveries after the restart', 20_000);
      expect(receiver.recorded.size).toBe(changes.length);
      expect(receiver.badSignatures).toBe(0);
      const ids = [...receiver.recorded.values()].sort((a, b) => a.event.seq - b.event.seq).map((p) => p.event.id);
      expect(ids).toEqual(changes.map((e) => e.id));
      // The session died with the first process; the token that registered the webhook reads its log.
      const hookId = (hook.body as { id: string }).id;
      // The receiver has the last delivery a moment before the server has recorded its answer.
      const delivered = async () => deliveryLogSchema.parse((await call(second.url, `/api/sessions/${created.id}/webhooks/${hookId}/deliveries`, { token: created.instructorToken })).body).deliveries.filter((d) => d.state === 'delivered');
      const logDeadline = Date.now() + 5000;
      while ((await delivered()).length < changes.length && Date.now() < logDeadline) await new Promise((r) => setTimeout(r, 50));
      expect(await delivered()).toHaveLength(changes.length);
      expect((await call(second.url, `/api/sessions/${created.id}/webhooks/${hookId}/deliveries`, { token: 'not-the-token' })).status).toBe(404);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
      await receiver.close();
    }
  });
});
