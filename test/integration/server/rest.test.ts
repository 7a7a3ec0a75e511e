/** The REST API against a real server on an ephemeral port. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { RunningServer } from '../../../server/server.ts';
import { header } from '../../helpers/scenario.ts';
import { api, createSession, startTestServer } from '../../helpers/server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const errorOf = (body: unknown) => (body as { error: { code: string; message: string; issues?: Array<{ path: string }> } }).error;

describe('REST', () => {
  it('answers health', async () => {
    const { status, body } = await api<{ ok: boolean; version: string; uptimeS: number; sessions: number }>(server, '/api/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/), sessions: expect.any(Number) });
  });

  it('lists the scenarios and serves each one whole', async () => {
    const { body } = await api<Array<{ id: string; eventCount: number; durationMs: number; sourceCount: number }>>(server, '/api/scenarios');
    const ids = body.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(['demo', '2025-12-06-barrage']));
    const seed = body.find((s) => s.id === '2025-12-06-barrage')!;
    expect(seed.sourceCount).toBe(88);
    const whole = await api<{ events: unknown[] }>(server, '/api/scenarios/2025-12-06-barrage');
    expect(whole.body.events).toHaveLength(seed.eventCount);
    const missing = await api(server, '/api/scenarios/nope');
    expect(missing.status).toBe(404);
    expect(errorOf(missing.body).code).toBe('scenario_not_found');
  });

  it('takes uploads in JSON and YAML, refuses broken ones with every problem, and duplicates', async () => {
    const scenario = { ...header({ id: 'uploaded-json' }), events: [{ at: '00:01', type: 'jets.scrambled', country: 'PL' }] };
    const json = await api<{ id: string }>(server, '/api/scenarios', { method: 'POST', json: scenario });
    expect(json.status).toBe(201);
    expect(json.body).toEqual({ id: 'uploaded-json', deleteToken: expect.stringMatching(/^[\w-]{32}$/) });
    const yaml = await api(server, '/api/scenarios', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: stringify({ ...scenario, id: 'uploaded-yaml' }),
    });
    expect(yaml.status).toBe(201);
    expect((await api<Array<{ id: string }>>(server, '/api/scenarios')).body.map((s) => s.id)).toContain('uploaded-yaml');

    const broken = await api(server, '/api/scenarios', {
      method: 'POST',
      json: { ...scenario, id: 'broken', events: [{ at: 'x', type: 'alert.start', region: 'UA-99', threats: [] }] },
    });
    expect(broken.status).toBe(400);
    expect(errorOf(broken.body).code).toBe('invalid_scenario');
    expect(errorOf(broken.body).issues!.map((i) => i.path)).toEqual(expect.arrayContaining(['events[0].region', 'events[0].at', 'events[0].threats']));

    const again = await api(server, '/api/scenarios', { method: 'POST', json: scenario });
    expect(again.status).toBe(409);
    expect(errorOf(again.body).code).toBe('scenario_exists');

    const text = await api(server, '/api/scenarios', { method: 'POST', headers: { 'content-type': 'text/html' }, body: '<p>' });
    expect(text.status).toBe(415);
    expect(errorOf(text.body).code).toBe('unsupported_media_type');
  });

  it('refuses malformed JSON, wrong types and oversized bodies with typed errors', async () => {
    const malformed = await api(server, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"scenarioId":' });
    expect([malformed.status, errorOf(malformed.body).code]).toEqual([400, 'invalid_json']);
    const wrong = await api(server, '/api/sessions', { method: 'POST', json: { scenarioId: 'demo', speed: 'fast', kind: 'party' } });
    expect([wrong.status, errorOf(wrong.body).code]).toEqual([400, 'invalid_request']);
    expect(errorOf(wrong.body).issues!.map((i) => i.path).sort()).toEqual(['kind', 'speed']);
    const tooFast = await api(server, '/api/sessions', { method: 'POST', json: { scenarioId: 'demo', speed: 5000 } });
    expect(errorOf(tooFast.body).issues![0]!.path).toBe('speed');
    const huge = await api(server, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"scenarioId":"${'x'.repeat(10 * 1024 * 1024)}"}` });
    expect([huge.status, errorOf(huge.body).code]).toEqual([413, 'payload_too_large']);
    const hugeUpload = await api(server, '/api/scenarios', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: `# ${'x'.repeat(21 * 1024 * 1024)}` });
    expect([hugeUpload.status, errorOf(hugeUpload.body).code]).toEqual([413, 'payload_too_large']);
    const unknown = await api(server, '/api/sessions/does-not-exist');
    expect([unknown.status, errorOf(unknown.body).code]).toEqual([404, 'session_not_found']);
    const nowhere = await api(server, '/api/nowhere');
    expect([nowhere.status, errorOf(nowhere.body).code]).toEqual([404, 'not_found']);
  });

  it('creates a session with its links, join code and a 256-bit token, and serves its snapshot', async () => {
    const created = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    expect(created.instructorToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.joinCode).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
    // Without PUBLIC_URL links are relative: the request's Host header is never echoed.
    expect(created.links.watch).toBe(`/s/${created.id}`);
    expect(created.links.join).toBe(`/join/${created.joinCode}`);
    expect(created.links.instructor).toContain('#token=');
    const { body } = await api<{ seq: number; session: { id: string; kind: string }; clock: { playing: boolean }; regions: Record<string, unknown> }>(server, `/api/sessions/${created.id}`);
    expect(body.session).toEqual({ id: created.id, kind: 'drill', resumed: false });
    expect(body.clock.playing).toBe(false);
    expect(Object.keys(body.regions)).toHaveLength(43);
  });

  it('lets only the instructor control a session, and answers with the new clock', async () => {
    const created = await createSession(server, { scenarioId: 'demo', autoplay: false });
    const path = `/api/sessions/${created.id}/control`;
    const none = await api(server, path, { method: 'POST', json: { action: 'play' } });
    expect([none.status, errorOf(none.body).code]).toEqual([401, 'unauthorized']);
    const wrong = await api(server, path, { method: 'POST', json: { action: 'play' }, headers: { authorization: 'Bearer nope' } });
    expect([wrong.status, errorOf(wrong.body).code]).toEqual([403, 'forbidden']);
    const auth = { authorization: `Bearer ${created.instructorToken}` };
    const bad = await api(server, path, { method: 'POST', json: { action: 'seek' }, headers: auth });
    expect([bad.status, errorOf(bad.body).code]).toEqual([400, 'invalid_control']);
    const seek = await api<{ positionMs: number; playing: boolean; seq: number }>(server, path, { method: 'POST', json: { action: 'seek', positionMs: 300_000 }, headers: auth });
    expect(seek.status).toBe(200);
    expect(seek.body).toMatchObject({ positionMs: 300_000, playing: false });
    const after = await api<{ clock: { positionMs: number } }>(server, `/api/sessions/${created.id}`);
    expect(after.body.clock.positionMs).toBe(300_000);
  });

  it('gives the drill report to the instructor only, as JSON or CSV', async () => {
    const created = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const path = `/api/sessions/${created.id}/report`;
    expect((await api(server, path)).status).toBe(401);
    const auth = { authorization: `Bearer ${created.instructorToken}` };
    const json = await api<{ trainees: number; rows: unknown[] }>(server, path, { headers: auth });
    expect(json.body).toMatchObject({ trainees: 0, rows: [] });
    const csv = await api<string>(server, `${path}?format=csv`, { headers: auth });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.body).toMatch(/^participant_id,name,region,region_name,alert_at_ms,alert_time,response_s,response_ms,response_wall_ms,missed\r\n$/);
    expect((await api(server, `${path}?format=xml`, { headers: auth })).status).toBe(400);
  });

  it('sends security headers and a Content Security Policy on every response', async () => {
    for (const path of ['/api/health', '/', '/api/nowhere']) {
      const { headers } = await api(server, path);
      expect(headers.get('content-security-policy'), path).toMatch(/default-src 'self'/);
      expect(headers.get('content-security-policy'), path).toMatch(/script-src 'self'/);
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('x-powered-by'), path).toBeNull();
    }
  });
});

describe('REST rate limit', () => {
  it('answers a flood from one address with typed 429s', async () => {
    const limited = await startTestServer({ requestsPerMinute: 20 });
    try {
      const statuses = await Promise.all(Array.from({ length: 40 }, () => api(limited, '/api/health')));
      const refused = statuses.filter((r) => r.status === 429);
      expect(refused.length).toBe(20);
      expect(errorOf(refused[0]!.body).code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});
