/**
 * Who may do what in a drill, over the socket and REST alike (the rules of sessions/rules.ts): a
 * trainee cannot control, inject, post, read the roster or the report, or answer for someone
 * else; names are checked; an answer counts only for an alert of the trainee's own region, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server/server.ts';
import { traineeStatusSchema } from '../../../server/contract/wire.ts';
import { Recorder, api, connectError, createSession, emitWithAck, startTestServer, until } from '../../helpers/server.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

async function traineeOf(sessionId: string, joinCode: string, name: string, region: string): Promise<Recorder & { status: () => string | undefined; secret: () => string }> {
  const r = new Recorder(server, { sessionId, role: 'trainee', joinCode, name, region });
  let state: string | undefined;
  let secret = '';
  r.socket.on('self', (s) => (state = traineeStatusSchema.parse(s).state));
  r.socket.on('welcome', (w) => (secret = w.participantToken));
  await r.connected();
  await until(() => state !== undefined && secret !== '', 'the trainee\'s own status');
  return Object.assign(r, { status: () => state, secret: () => secret });
}

describe('drill rules', () => {
  it('lets a trainee answer only for itself, only under alert, once per alert; and do nothing of the instructor\'s', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const olena = await traineeOf(s.id, s.joinCode, '  Olena  ', 'UA-46');
    const petro = await traineeOf(s.id, s.joinCode, 'Petro', 'UA-32');
    // Before any alert there is nothing to answer, and the press is refused rather than counted.
    expect(await emitWithAck(olena.socket, 'shelter', {})).toMatchObject({ ok: false, error: { code: 'no_open_alert' } });
    // Naming someone else changes nothing: the answer is always the connection's own.
    expect(await emitWithAck(olena.socket, 'shelter', { participantId: 'someone' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await emitWithAck(olena.socket, 'control', { action: 'play' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await emitWithAck(olena.socket, 'inject', { event: { type: 'alert.start', region: 'UA-46', threats: ['drone'] } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await emitWithAck(olena.socket, 'post', { text: 'hello' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(olena.rosters).toHaveLength(0);

    const instructor = new Recorder(server, { sessionId: s.id, role: 'instructor', token: s.instructorToken });
    await instructor.connected();
    expect(await emitWithAck(instructor.socket, 'inject', { event: { type: 'alert.start', region: 'UA-46', threats: ['drone'] } })).toMatchObject({ ok: true });
    await until(() => olena.status() === 'alerted', 'the alert on Olena\'s phone');
    expect(petro.status()).toBe('waiting');
    expect(await emitWithAck(petro.socket, 'shelter', {})).toMatchObject({ ok: false, error: { code: 'no_open_alert' } });
    expect(await emitWithAck(olena.socket, 'shelter', {})).toMatchObject({ ok: true });
    expect(await emitWithAck(olena.socket, 'shelter', {})).toMatchObject({ ok: false, error: { code: 'already_answered' } });
    await until(() => instructor.rosters.some((r) => r.participants.some((p) => p.name === 'Olena' && p.state === 'sheltered')), 'the answer in the roster');
    const roster = instructor.rosters.at(-1)!;
    expect(roster.counts).toMatchObject({ joined: 2, sheltered: 1, alerted: 0 });

    // REST: the roster and the report are the instructor's; a trainee's secret opens neither.
    for (const path of [`/api/sessions/${s.id}/roster`, `/api/sessions/${s.id}/report`]) {
      expect((await api(server, path)).status).toBe(401);
      const wrong = await api(server, path, { headers: { authorization: `Bearer ${olena.secret()}` } });
      expect([wrong.status, errorCode(wrong.body)]).toEqual([403, 'forbidden']);
      expect((await api(server, path, { headers: { authorization: `Bearer ${s.instructorToken}` } })).status).toBe(200);
    }
    for (const r of [olena, petro, instructor]) r.close();
  });

  it('refuses names that are empty, too long or not plain text, and regions the drill does not offer', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const base = { sessionId: s.id, role: 'trainee', joinCode: s.joinCode, region: 'UA-46' };
    for (const name of ['   ', 'x'.repeat(41), '<b>bold</b>', 'tab\there']) {
      const refused = await connectError(server, { ...base, name });
      expect(errorCode(refused.data), name).toBe('invalid_handshake');
      expect(refused.message).toMatch(/name/);
    }
    const ok = await traineeOf(s.id, s.joinCode, 'Ю'.repeat(40), 'UA-46');
    ok.close();
    expect(errorCode((await connectError(server, { ...base, name: 'Crimea', region: 'UA-43' })).data)).toBe('invalid_handshake');
    const created = await api(server, '/api/sessions', { method: 'POST', json: { scenarioId: 'demo', kind: 'drill', regions: ['UA-46', 'UA-40'] } });
    expect([created.status, errorCode(created.body)]).toEqual([400, 'invalid_request']);
    expect(s.regions).not.toContain('UA-43');
    expect(s.regions).not.toContain('UA-40');
  });

  it('lets the instructor delete a drill: its clients are let go and its report is gone', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const t = await traineeOf(s.id, s.joinCode, 'Iryna', 'UA-46');
    const auth = { authorization: `Bearer ${s.instructorToken}` };
    expect((await api(server, `/api/sessions/${s.id}`, { method: 'DELETE' })).status).toBe(401);
    expect((await api(server, `/api/sessions/${s.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    await until(() => !t.socket.connected, 'the trainee let go');
    expect((await api(server, `/api/sessions/${s.id}/report`, { headers: auth })).status).toBe(404);
  });

  it('(last: it blocks this address) throttles 1,000 wrong join codes from one address with a typed rate_limited', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const codes: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const { status, body } = await api(server, `/api/join/WRONG${i}`);
      codes.push(status === 200 ? 'found' : errorCode(body));
    }
    expect(codes.filter((c) => c === 'session_not_found').length).toBeLessThanOrEqual(11);
    expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(989);
    const right = await api(server, `/api/join/${s.joinCode}`);
    expect([right.status, errorCode(right.body)]).toEqual([429, 'rate_limited']);
  });
});
