/**
 * Faults on demand over HTTP: setting and reading a session's profile, who may set it, the
 * compatible endpoints' injected 429/5xx and stale answers, and the same faults on two runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultReportSchema, type FaultReport } from '../../../server/contract/faults.ts';
import type { RunningServer } from '../../../server/server.ts';
import { api, createSession, startTestServer } from '../../helpers/server.ts';

const SEED = '2025-12-06-barrage';
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function faulted(profile: unknown) {
  const created = await createSession(server, { scenarioId: SEED, positionMs: 3 * 3600_000, autoplay: false });
  const put = await api<FaultReport>(server, `/api/sessions/${created.id}/faults`, { method: 'PUT', headers: { authorization: `Bearer ${created.instructorToken}` }, json: profile });
  return { ...created, put };
}

const alerts = (id: string) => api(server, `/compat/ukrainealarm/${id}/api/v3/alerts`, { headers: { authorization: 'key' } });

describe('faults on demand', () => {
  it('reports no faults until the instructor sets a profile, and refuses others and bad profiles', async () => {
    const created = await createSession(server, { scenarioId: SEED, autoplay: false });
    const none = await api<FaultReport>(server, `/api/sessions/${created.id}/faults`);
    expect(none.body).toMatchObject({ scope: 'session', profile: null });
    const anonymous = await api(server, `/api/sessions/${created.id}/faults`, { method: 'PUT', json: { drop: { rate: 0.5 } } });
    expect(anonymous.status).toBe(401);
    const bad = await api<{ error: { code: string } }>(server, `/api/sessions/${created.id}/faults`, { method: 'PUT', headers: { authorization: `Bearer ${created.instructorToken}` }, json: { drop: {} } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    const set = await api<FaultReport>(server, `/api/sessions/${created.id}/faults`, { method: 'PUT', headers: { authorization: `Bearer ${created.instructorToken}` }, json: { seed: 5, drop: { rate: 0.5 } } });
    expect(faultReportSchema.parse(set.body).profile).toMatchObject({ seed: 5, drop: { rate: 0.5 } });
    faultReportSchema.parse(none.body);
    const cleared = await api<FaultReport>(server, `/api/sessions/${created.id}/faults`, { method: 'DELETE', headers: { authorization: `Bearer ${created.instructorToken}` } });
    expect(cleared.body.profile).toBeNull();
  });

  it('answers compatible requests with the injected statuses, the same on two sessions with the same seed', async () => {
    const profile = { seed: 21, http: { rate: 0.4, status: [429, 500, 503] } };
    const statuses = async (id: string) => {
      const out: number[] = [];
      for (let i = 0; i < 25; i++) out.push((await alerts(id)).status);
      return out;
    };
    const a = await faulted(profile);
    const b = await faulted(profile);
    const first = await statuses(a.id);
    expect(await statuses(b.id)).toEqual(first);
    expect(first).toContain(200);
    expect(first.some((s) => s === 429 || s === 500 || s === 503)).toBe(true);
    const refused = await alerts(a.id);
    const report = (await api<FaultReport>(server, `/api/sessions/${a.id}/faults`)).body;
    expect(report.counts.http).toBe(first.filter((s) => s !== 200).length + (refused.status === 200 ? 0 : 1));
    const c = await faulted({ ...profile, seed: 22 });
    expect(await statuses(c.id)).not.toEqual(first);
  });

  it('faults the same events of a live session on two runs with the same seed, and others with another seed', async () => {
    const profile = { seed: 99, drop: { rate: 0.25 }, duplicate: { rate: 0.25 }, reorder: { rate: 0.25, windowMs: 20 } };
    const duration = (await api<{ durationMs: number }>(server, `/api/scenarios/${SEED}`)).body.durationMs;
    const run = async (p: unknown) => {
      const created = await createSession(server, { scenarioId: SEED, positionMs: duration - 3 * 3600_000, speed: 3600, autoplay: false });
      const headers = { authorization: `Bearer ${created.instructorToken}` };
      await api(server, `/api/sessions/${created.id}/faults`, { method: 'PUT', headers, json: p });
      await api(server, `/api/sessions/${created.id}/control`, { method: 'POST', headers, json: { action: 'play' } });
      return async () => {
        for (;;) {
          const snap = (await api<{ clock: { playing: boolean } }>(server, `/api/sessions/${created.id}`)).body;
          if (!snap.clock.playing) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 100)); // what the reorder window still held
        const report = faultReportSchema.parse((await api(server, `/api/sessions/${created.id}/faults`)).body);
        // Events are keyed by id; clocks by seq, which heartbeats shift between runs.
        return report.recent.filter((r) => !r.key.startsWith('clock:')).map((r) => `${r.kind} ${r.key}`);
      };
    };
    const [a, b, c] = await Promise.all([run(profile), run(profile), run({ ...profile, seed: 100 })]);
    const first = await a();
    expect(first.length).toBeGreaterThan(3);
    expect(await b()).toEqual(first);
    expect(await c()).not.toEqual(first);
  });

  it('gives a typed error body and Retry-After on an injected 429, and stale answers during a stall', async () => {
    const limited = await faulted({ http: { at: [{ fromMs: 0, toMs: 36_000_000 }], status: [429], retryAfterS: 7 } });
    const refused = await alerts(limited.id);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('7');
    expect(refused.body).toMatchObject({ error: { code: 'fault_rate_limited' } });

    const stalled = await faulted({ stall: { rate: 0, forMs: 60_000 } });
    const before = await alerts(stalled.id);
    expect(before.status).toBe(200);
    // Now stall it from the first request on, and move the night: the answer stays what it was.
    await api(server, `/api/sessions/${stalled.id}/faults`, { method: 'PUT', headers: { authorization: `Bearer ${stalled.instructorToken}` }, json: { stall: { at: [{ fromMs: 0, toMs: 36_000_000 }], forMs: 60_000 } } });
    await api(server, `/api/sessions/${stalled.id}/control`, { method: 'POST', headers: { authorization: `Bearer ${stalled.instructorToken}` }, json: { action: 'seek', positionMs: 6 * 3600_000 } });
    const during = await alerts(stalled.id);
    expect(during.status).toBe(200);
    expect(during.headers.get('x-sim-fault')).toBe('stall');
    expect(during.body).toEqual(before.body);
  });
});
