/**
 * alerts.in.ua as its clients see it: a real server, plain fetch, the service's own paths below
 * `/compat/alerts-in-ua/{session}`, checked against what the service sends (devs.alerts.in.ua)
 * and what its official clients parse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiuAlertsSchema, aiuIotStatusSchema } from '../../../server/contract/compat.ts';
import type { RunningServer } from '../../../server/server.ts';
import { header } from '../../helpers/scenario.ts';
import { api, createSession, startTestServer } from '../../helpers/server.ts';
import { kyivNight, pausedSeed, type AlertSpan, type SeedSession } from './helpers.ts';

/** The service's IoT order: location UIDs by position in the 27-character string. */
const IOT_UIDS = ['29', '8', '4', '9', '28', '10', '11', '12', '13', '31', '14', '15', '16', '27', '17', '18', '19', '5', '30', '20', '21', '22', '23', '3', '24', '26', '25'];
const KYIV_OBLAST_UID = '14';

let server: RunningServer;
let kyiv: AlertSpan;
let seed: SeedSession;
const base = () => `/compat/alerts-in-ua/${seed.id}`;
const get = (path: string, headers: Record<string, string> = {}) => api(server, `${base()}${path}`, { headers: { authorization: 'Bearer any-token', ...headers } });

beforeAll(async () => ({ server, kyiv, seed } = await kyivNight()));
afterAll(() => server.close());

describe('alerts.in.ua: active alerts', () => {
  it('shows the region\'s alert as the replay passes its start, and drops it at its end', async () => {
    await seed.seek(kyiv.startMs - 1000);
    let { status, body } = await get('/v1/alerts/active.json');
    expect(status).toBe(200);
    expect(aiuAlertsSchema.parse(body).alerts.map((a) => a.location_uid)).not.toContain(KYIV_OBLAST_UID);

    await seed.seek(kyiv.startMs);
    ({ body } = await get('/v1/alerts/active.json'));
    const alert = aiuAlertsSchema.parse(body).alerts.find((a) => a.location_uid === KYIV_OBLAST_UID);
    expect(alert).toMatchObject({
      location_title: 'Київська область',
      location_type: 'oblast',
      location_oblast: 'Київська область',
      location_oblast_uid: 14,
      alert_type: 'air_raid',
      finished_at: null,
    });
    expect(typeof alert!.location_uid).toBe('string');
    expect(Number.isInteger(alert!.id)).toBe(true);

    await seed.seek(kyiv.endMs);
    ({ body } = await get('/v1/alerts/active.json'));
    expect(aiuAlertsSchema.parse(body).alerts.map((a) => a.location_uid)).not.toContain(KYIV_OBLAST_UID);
  });

  it('dates as the service does: *_at in ISO with milliseconds, meta.last_updated_at as YYYY/MM/DD HH:MM:SS +0000', async () => {
    await seed.seek(kyiv.startMs + 20 * 60_000);
    const { body, headers } = await get('/v1/alerts/active.json');
    const parsed = aiuAlertsSchema.parse(body);
    const alert = parsed.alerts.find((a) => a.location_uid === KYIV_OBLAST_UID)!;
    expect(alert.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(parsed.meta.last_updated_at).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d \+0000$/);
    expect(parsed.meta.type).toBe('full');
    // The replay's present reads as now: the alert began 20 minutes ago, whatever the date of the night.
    const minutesAgo = (Date.now() - Date.parse(alert.started_at)) / 60_000;
    expect(minutesAgo).toBeGreaterThan(19);
    expect(minutesAgo).toBeLessThan(21);
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('keeps the night\'s own timestamps in a session asked for them', async () => {
    const original = await pausedSeed(server, kyiv.startMs + 1000, { feedTimes: 'original' });
    const { body } = await api(server, `/compat/alerts-in-ua/${original.id}/v1/alerts/active.json?token=t`);
    const alert = aiuAlertsSchema.parse(body).alerts.find((a) => a.location_uid === KYIV_OBLAST_UID)!;
    expect(Date.parse(alert.started_at)).toBe(kyiv.startMsEpoch);
  });
});

describe('alerts.in.ua: alerts already on when the night begins', () => {
  it('lists them from the start the scenario gives, before the night\'s start, in both time modes', async () => {
    const { body: scenario } = await api<{ start: string; initial: { alerts: Array<{ region: string; sinceMs: number }> } }>(server, '/api/scenarios/2025-12-06-barrage');
    const opening = scenario.initial.alerts.find((a) => a.region === 'UA-09')!;
    expect(opening.sinceMs).toBeLessThan(0);
    const original = await pausedSeed(server, 0, { feedTimes: 'original' });
    const read = async (id: string) =>
      aiuAlertsSchema.parse((await api(server, `/compat/alerts-in-ua/${id}/v1/alerts/active.json?token=t`)).body).alerts.find((a) => a.location_uid === '16')!;
    expect(Date.parse((await read(original.id)).started_at)).toBe(Date.parse(scenario.start) + opening.sinceMs);
    const present = await pausedSeed(server, 0);
    const hoursAgo = (Date.now() - Date.parse((await read(present.id)).started_at)) / 3_600_000;
    expect(hoursAgo).toBeCloseTo(-opening.sinceMs / 3_600_000, 1);
    const iot = (await api<string>(server, `/compat/alerts-in-ua/${present.id}/v1/iot/active_air_raid_alerts_by_oblast.json?token=t`)).body;
    expect(iot[IOT_UIDS.indexOf('16')]).toBe('A');
  });
});

describe('alerts.in.ua: IoT', () => {
  it('is a JSON string of 27 letters in the service\'s order, each matching the per-region endpoint', async () => {
    await seed.seek(kyiv.startMs + 1000);
    const { body, headers } = await get('/v1/iot/active_air_raid_alerts_by_oblast.json');
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    const status = aiuIotStatusSchema.parse(body);
    expect(status).toHaveLength(27);
    expect(status[IOT_UIDS.indexOf(KYIV_OBLAST_UID)]).toBe('A');
    const active = new Set(aiuAlertsSchema.parse((await get('/v1/alerts/active.json')).body).alerts.map((a) => a.location_uid));
    IOT_UIDS.forEach((uid, i) => expect(status[i], `position ${i} (UID ${uid})`).toBe(active.has(uid) ? 'A' : 'N'));
    for (const uid of IOT_UIDS) {
      const one = await get(`/v1/iot/active_air_raid_alerts/${uid}.json`);
      expect(one.body).toBe(status[IOT_UIDS.indexOf(uid)]);
    }
  });

  it('answers an unknown UID with 404 and a message', async () => {
    const { status, body } = await get('/v1/iot/active_air_raid_alerts/99999.json');
    expect(status).toBe(404);
    expect(body).toEqual({ message: expect.any(String) });
  });
});

describe('alerts.in.ua: history', () => {
  it('lists the region\'s alerts with finished_at set once over', async () => {
    await seed.seek(kyiv.endMs + 1000);
    const { status, body } = await get(`/v1/regions/${KYIV_OBLAST_UID}/alerts/week_ago.json`);
    expect(status).toBe(200);
    const alerts = aiuAlertsSchema.parse(body).alerts;
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.location_uid === KYIV_OBLAST_UID)).toBe(true);
    const first = alerts.at(-1)!;
    expect(first.finished_at).not.toBeNull();
    expect(Date.parse(first.finished_at!) - Date.parse(first.started_at)).toBe(kyiv.endMs - kyiv.startMs);
    expect((await get(`/v1/regions/${KYIV_OBLAST_UID}/alerts/month_ago.json`)).status).toBe(200);
    expect((await get(`/v1/regions/${KYIV_OBLAST_UID}/alerts/year_ago.json`)).status).toBe(400);
  });
});

describe('alerts.in.ua: caching', () => {
  it('sends Last-Modified, Cache-Control and Expires on 200 and 304, and honours If-Modified-Since', async () => {
    await seed.seek(kyiv.startMs + 1000);
    const first = await get('/v1/alerts/active.json');
    const lastModified = first.headers.get('last-modified')!;
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);
    expect(first.headers.get('cache-control')).toBe('max-age=1');
    expect(Date.parse(first.headers.get('expires')!)).toBeGreaterThan(Date.parse(first.headers.get('date')!) - 1);

    const again = await get('/v1/alerts/active.json', { 'if-modified-since': lastModified });
    expect(again.status).toBe(304);
    expect(again.headers.get('last-modified')).toBe(lastModified);
    expect(again.headers.get('cache-control')).toBe('max-age=1');

    // Values that do not parse are ignored, as an empty header from a first call must be.
    for (const odd of ['', `"${lastModified}"`, 'yesterday']) {
      expect((await get('/v1/alerts/active.json', { 'if-modified-since': odd })).status).toBe(200);
    }

    // A change of the alerts gives a later Last-Modified and a full answer to the old one.
    await seed.seek(kyiv.endMs);
    const changed = await get('/v1/iot/active_air_raid_alerts_by_oblast.json', { 'if-modified-since': lastModified });
    expect(changed.status).toBe(200);
    expect(Date.parse(changed.headers.get('last-modified')!)).toBeGreaterThan(Date.parse(lastModified));
  });
});

describe('alerts.in.ua: tokens', () => {
  it('refuses a request without a token with 401 and a message, and takes ?token= as well as Bearer', async () => {
    const none = await api(server, `${base()}/v1/alerts/active.json`);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: expect.any(String) });
    expect((await api(server, `${base()}/v1/alerts/active.json?token=abc`)).status).toBe(200);
  });

  it('answers an unknown session as the service answers an unknown path', async () => {
    const { status, body } = await api(server, '/compat/alerts-in-ua/no-such-session/v1/alerts/active.json?token=abc');
    expect(status).toBe(404);
    expect(body).toEqual({ message: expect.any(String) });
  });
});

describe('alerts.in.ua: configured tokens and real rate limits', () => {
  let strict: RunningServer;
  beforeAll(async () => {
    strict = await startTestServer({ compat: { tokens: ['good-token'], realRateLimits: true } });
  });
  afterAll(() => strict.close());

  it('refuses unknown tokens with 401 and limits the history to 2 and everything to 12 a minute with 429', async () => {
    const session = await pausedSeed(strict, 0);
    const path = `/compat/alerts-in-ua/${session.id}`;
    expect((await api(strict, `${path}/v1/alerts/active.json`, { headers: { authorization: 'Bearer bad-token' } })).status).toBe(401);
    const history = [];
    for (let i = 0; i < 3; i += 1) history.push((await api(strict, `${path}/v1/regions/14/alerts/week_ago.json?token=good-token`)).status);
    expect(history).toEqual([200, 200, 429]);
    const statuses = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await api(strict, `${path}/v1/alerts/active.json?token=good-token`)).status);
    // The 3 history calls count against the 12 a minute as well: the 10th plain call is over.
    expect(statuses).toEqual([...Array<number>(9).fill(200), 429]);
    const refused = await api(strict, `${path}/v1/alerts/active.json?token=good-token`);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ message: expect.any(String) });
  });
});

describe('alerts.in.ua: a playing replay', () => {
  it('shows the alert appear and clear as the replay runs through it, as a poller sees it', async () => {
    const scenario = {
      ...header({ id: 'compat-playing' }),
      events: [
        { at: '00:00:02', type: 'alert.start', region: 'UA-46', threats: ['drone'] },
        { at: '00:00:04', type: 'alert.end', region: 'UA-46' },
        { at: '00:00:05', type: 'statement', org: 'test', text: { en: 'end' } },
      ],
    };
    expect((await api(server, '/api/scenarios', { method: 'POST', json: scenario })).status).toBe(201);
    const session = await createSession(server, { scenarioId: 'compat-playing', speed: 1 });
    const path = `/compat/alerts-in-ua/${session.id}/v1/iot/active_air_raid_alerts/27.json?token=t`;
    const seen: string[] = [];
    for (let i = 0; i < 200 && !(seen.includes('A') && seen.at(-1) === 'N'); i += 1) {
      const { body } = await api<string>(server, path);
      if (seen.at(-1) !== body) seen.push(body);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seen).toEqual(['N', 'A', 'N']);
  });
});
