/**
 * ukrainealarm (api.ukrainealarm.com v3) as its clients see it: the raw key in `Authorization`,
 * the `/api/v3` paths below `/compat/ukrainealarm/{session}`, the models of the operator's
 * generated clients, and what Home Assistant's integration reads (`[0].activeAlerts[*].type`,
 * `states[*].regionChildIds`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uaAlertRegionsSchema, uaRegionHistorySchema, uaRegionsSchema, uaStatusSchema } from '../../../server/contract/compat.ts';
import type { RunningServer } from '../../../server/server.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api, startTestServer, until } from '../../helpers/server.ts';
import { kyivNight, pausedSeed, type AlertSpan, type SeedSession } from './helpers.ts';

let server: RunningServer;
let kyiv: AlertSpan;
let seed: SeedSession;
const get = (path: string) => api(server, `/compat/ukrainealarm/${seed.id}/api/v3${path}`, { headers: { authorization: 'raw-key' } });

beforeAll(async () => ({ server, kyiv, seed } = await kyivNight()));
afterAll(() => server.close());

describe('ukrainealarm', () => {
  it('lists the regions as a tree of State nodes with nested children, Crimea as 9999', async () => {
    const { status, body, headers } = await get('/regions');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { states } = uaRegionsSchema.parse(body);
    expect(states).toHaveLength(26);
    expect(states.every((s) => s.regionType === 'State' && Array.isArray(s.regionChildIds))).toBe(true);
    expect(states.find((s) => s.regionId === '9999')?.regionName).toBe('Автономна Республіка Крим');
    expect(states.find((s) => s.regionId === '14')?.regionName).toBe('Київська область');
  });

  it('shows a region\'s alert in /alerts and /alerts/{id} between its start and its end', async () => {
    await seed.seek(kyiv.startMs - 1000);
    expect(uaAlertRegionsSchema.parse((await get('/alerts')).body).map((r) => r.regionId)).not.toContain('14');
    const before = uaAlertRegionsSchema.parse((await get('/alerts/14')).body);
    expect(before).toHaveLength(1);
    expect(before[0]!.activeAlerts).toEqual([]);

    await seed.seek(kyiv.startMs);
    const all = uaAlertRegionsSchema.parse((await get('/alerts')).body);
    expect(all.every((r) => r.activeAlerts.length > 0)).toBe(true);
    expect(all.map((r) => r.regionId)).toContain('14');
    const one = uaAlertRegionsSchema.parse((await get('/alerts/14')).body);
    expect(one[0]).toMatchObject({ regionId: '14', regionType: 'State', regionName: 'Київська область' });
    expect(one[0]!.activeAlerts.map((a) => a.type)).toEqual(['AIR']);
    // lastUpdate reads as the replay's present: the alert began just now.
    expect(Math.abs(Date.parse(one[0]!.activeAlerts[0]!.lastUpdate) - Date.now())).toBeLessThan(5000);

    await seed.seek(kyiv.endMs);
    expect(uaAlertRegionsSchema.parse((await get('/alerts/14')).body)[0]!.activeAlerts).toEqual([]);
  });

  it('moves lastActionIndex on every change, so a poller knows when to refetch', async () => {
    await seed.seek(kyiv.startMs - 1000);
    const a = uaStatusSchema.parse((await get('/alerts/status')).body).lastActionIndex;
    expect(uaStatusSchema.parse((await get('/alerts/status')).body).lastActionIndex).toBe(a);
    await seed.seek(kyiv.startMs);
    const b = uaStatusSchema.parse((await get('/alerts/status')).body).lastActionIndex;
    expect(b).not.toBe(a);
  });

  it('gives a region\'s history as an array with its alarms, newest first', async () => {
    await seed.seek(kyiv.endMs + 1000);
    const { status, body } = await get('/alerts/regionHistory?regionId=14');
    expect(status).toBe(200);
    const history = uaRegionHistorySchema.parse(body);
    expect(history).toHaveLength(1);
    const alarm = history[0]!.alarms.at(-1)!;
    expect(alarm).toMatchObject({ regionId: '14', alertType: 'AIR', isContinue: false });
    expect(Date.parse(alarm.endDate) - Date.parse(alarm.startDate)).toBe(kyiv.endMs - kyiv.startMs);
    const seconds = Math.round((kyiv.endMs - kyiv.startMs) / 1000);
    const pad = (n: number) => String(n).padStart(2, '0');
    expect(alarm.duration).toBe(`${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`);
    expect((await get('/alerts/regionHistory')).status).toBe(400);
  });

  it('registers, changes and removes a webhook, and refuses a body without a URL', async () => {
    const hook = (method: string, json: unknown) => api(server, `/compat/ukrainealarm/${seed.id}/api/v3/webhook`, { method, headers: { authorization: 'raw-key' }, json });
    expect((await hook('POST', { webHookUrl: 'https://example.org/hook' })).status).toBe(200);
    expect((await hook('PATCH', { webHookUrl: 'https://example.org/other' })).status).toBe(200);
    expect((await hook('DELETE', { webHookUrl: 'https://example.org/other' })).status).toBe(200);
    expect((await hook('POST', { url: 'https://example.org/hook' })).status).toBe(400);
    expect((await hook('POST', { webHookUrl: 'file:///etc/passwd' })).status).toBe(400);
  });

  it('delivers each start and end of an alert to a registered webhook, in order', async () => {
    const received: Array<{ regionId: string; activeAlerts: Array<{ type: string }> }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await seed.seek(kyiv.startMs - 1000);
    const hook = await api(server, `/compat/ukrainealarm/${seed.id}/api/v3/webhook`, { method: 'POST', headers: { authorization: 'hook-key' }, json: { webHookUrl: url } });
    expect(hook.status).toBe(200);
    await seed.seek(kyiv.startMs);
    await until(() => received.some((b) => b.regionId === '14'), 'the start delivered');
    await seed.seek(kyiv.endMs);
    await until(() => received.filter((b) => b.regionId === '14').length >= 2, 'the end delivered');
    const kyivHooks = received.filter((b) => b.regionId === '14');
    expect(kyivHooks.map((b) => b.activeAlerts.map((a) => a.type))).toEqual([['AIR'], []]);
    uaAlertRegionsSchema.parse(kyivHooks);
    await api(server, `/compat/ukrainealarm/${seed.id}/api/v3/webhook`, { method: 'DELETE', headers: { authorization: 'hook-key' }, json: { webHookUrl: url } });
    receiver.close();
  });

  it('refuses a request without a key with 401, and an unknown region with 404', async () => {
    expect((await api(server, `/compat/ukrainealarm/${seed.id}/api/v3/alerts`)).status).toBe(401);
    expect((await get('/alerts/123456')).status).toBe(404);
  });

  it('serves the default session, playing the seed night, when no session id is given', async () => {
    const { status, body } = await api(server, '/compat/ukrainealarm/default/api/v3/alerts', { headers: { authorization: 'k' } });
    expect(status).toBe(200);
    uaAlertRegionsSchema.parse(body);
    const sessions = server.registry.all().filter((s) => s.scenario.id === '2025-12-06-barrage' && s.clock.loop && s.clock.playing);
    expect(sessions).toHaveLength(1);
  });
});

describe('ukrainealarm: configured keys and rate limits', () => {
  let strict: RunningServer;
  beforeAll(async () => {
    strict = await startTestServer({ compat: { tokens: ['good-key'], realRateLimits: true } });
  });
  afterAll(() => strict.close());

  it('refuses unknown keys with 401 and answers 429 with Retry-After past 200 requests in 5 minutes', async () => {
    const session = await pausedSeed(strict, 0);
    const path = `/compat/ukrainealarm/${session.id}/api/v3/alerts/status`;
    expect((await api(strict, path, { headers: { authorization: 'bad-key' } })).status).toBe(401);
    let last = await api(strict, path, { headers: { authorization: 'good-key' } });
    for (let i = 1; i < 201 && last.status === 200; i += 1) last = await api(strict, path, { headers: { authorization: 'good-key' } });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
