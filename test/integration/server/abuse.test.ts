/**
 * The attacks of a security review, each reproduced against a real server on 127.0.0.1 and each
 * bounded in count: what used to crash, freeze or lock the server is now refused with a typed
 * error, while a canary viewer on another session keeps receiving its events on time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connect, Manager, type Socket } from 'socket.io-client';
import { stringify } from 'yaml';
import { generateScenario } from '../../../server/scenario/generate.ts';
import { loadScenarioObject } from '../../../server/scenario/load.ts';
import type { RunningServer } from '../../../server/server.ts';
import { api, createSession, emitWithAck, Recorder, startTestServer, until } from '../../helpers/server.ts';

type ErrorReply = { error: { code: string; message: string; issues?: unknown[]; issueCount?: number; retryAfterS?: number } };

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ uploadLimits: { maxScenarios: 200, maxPerAddress: 20, maxBytesHeld: 64 * 1024 * 1024 } });
  // 400 events over 20 minutes of night: 20 seconds at 60x, one event every 50 ms.
  const generated = loadScenarioObject({ ...generateScenario({ events: 400, seed: 5, durationMs: 20 * 60_000 }), id: 'canary' });
  if (!generated.ok) throw new Error('generated scenario invalid');
  server.scenarios.add(generated.scenario, 'file');
});
afterAll(async () => {
  await server.close();
});

const header = (id: string) => ({
  id,
  title: { en: 'Abuse' },
  description: { en: 'Abuse' },
  start: '2025-12-05T18:00:00+02:00',
  timeZone: 'Europe/Kyiv',
  sources: [],
});

function upload(body: string, type = 'application/yaml') {
  return api<ErrorReply & { id?: string; deleteToken?: string }>(server, '/api/scenarios', { method: 'POST', headers: { 'content-type': type }, body });
}

/**
 * Runs `attack` while a canary viewer plays another session at 60x; returns the canary's lateness
 * (ms past each event's due time) during the attack.
 */
async function withCanary(attack: () => Promise<void>): Promise<number[]> {
  const s = await createSession(server, { scenarioId: 'canary', speed: 60 });
  const canary = new Recorder(server, { sessionId: s.id, role: 'viewer' });
  await canary.connected();
  await until(() => canary.events.length > 5, 'the canary\'s first events');
  const from = canary.events.length;
  await attack();
  await until(() => canary.events.length > from + 5, 'the canary\'s events after the attack');
  const clock = canary.clocks.at(-1) ?? canary.snapshots[0]!.clock;
  const lateness = canary.events
    .slice(from)
    .filter((e) => e.seq > clock.seq)
    .map((e) => canary.receivedAt.get(e.seq)! - (clock.serverTimeMs + (e.atMs - clock.positionMs) / clock.speed));
  canary.close();
  return lateness.sort((a, b) => a - b);
}

const p95 = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;

describe('uploads: budgets, not only counts', () => {
  it('refuses twenty 19 MB uploads by their size, before reading them, and stays up', async () => {
    const body = `# ${'x'.repeat(19 * 1024 * 1024)}`;
    for (let i = 0; i < 20; i++) {
      const reply = await upload(body);
      expect([reply.status, reply.body.error.code]).toEqual([413, 'payload_too_large']);
    }
    expect((await api(server, '/api/health')).status).toBe(200);
  });

  it('refuses a 4 KB zig-zag wave, 30,000 YAML aliases and 8,000 events at one instant while the canary stays on time', async () => {
    const replies: Array<Awaited<ReturnType<typeof upload>>> = [];
    const zigzag = (legs: number) => ({
      ...header(`zigzag-${legs}`),
      waves: ['a', 'b'].map((id) => ({
        id,
        threat: 'drone',
        count: 1,
        launch: { at: '00:00', from: { name: 'x', position: [0, 0] } },
        route: Array.from({ length: legs }, (_, i) => (i % 2 === 0 ? [179, 0] : [0, 0])),
        speedKmh: 180,
      })),
    });
    const anchors = Array.from({ length: 300 }, (_, i) => `a${i}: &a${i} { k: ${i} }`).join('\n');
    const uses = Array.from({ length: 300 }, (_, i) => `  - [${Array(100).fill(`*a${i}`).join(', ')}]`).join('\n');
    const crowd = { ...header('crowd'), events: Array.from({ length: 8000 }, () => ({ at: '00:01', type: 'jets.scrambled', country: 'PL' })) };
    // Waves at 30 km/h over 4,400 km, a position a minute: this used to overflow the stack (500).
    const slow = { ...header('slow'), alerting: { movePeriodMinutes: 1 }, waves: ['a', 'b', 'c'].map((id) => ({ ...zigzag(2).waves[0]!, id, route: [[40, 0]], speedKmh: 30 })) };

    const lateness = await withCanary(async () => {
      replies.push(await upload(stringify(zigzag(256))));
      replies.push(await upload(stringify(zigzag(60))));
      replies.push(await upload(`${anchors}\nuses:\n${uses}\n`));
      replies.push(await upload(JSON.stringify(crowd), 'application/json'));
      replies.push(await upload(JSON.stringify(slow), 'application/json'));
    });
    expect(replies.map((r) => [r.status, r.body.error?.code])).toEqual(Array(5).fill([400, 'invalid_scenario']));
    expect(replies.map((r) => r.body.error.message)).toEqual([
      expect.stringMatching(/256 waypoints; a route may have at most 64/),
      expect.stringMatching(/km long; a route may be at most 5000 km/),
      expect.stringMatching(/30000 YAML aliases/),
      expect.stringMatching(/8000 events at 00:01:00; at most 2000/),
      expect.stringMatching(/threat\.move events; a scenario may generate at most 20000/),
    ]);
    expect(lateness.length).toBeGreaterThan(5);
    expect(p95(lateness)).toBeLessThan(200);
  });

  it('answers a file with 5,000 broken events with the first hundred problems and their count', async () => {
    const broken = { ...header('broken'), events: Array.from({ length: 5_000 }, () => ({ at: 'soon', type: 'nothing' })) };
    const reply = await upload(JSON.stringify(broken), 'application/json');
    expect([reply.status, reply.body.error.code]).toEqual([400, 'invalid_scenario']);
    expect(reply.body.error.issues).toHaveLength(100);
    expect(reply.body.error.issueCount).toBeGreaterThan(1000);
    expect(JSON.stringify(reply.body).length).toBeLessThan(64 * 1024);
  });

  it('holds uploads to a byte budget with a typed 507 and Retry-After, and lets the uploader delete them', async () => {
    const small = await startTestServer({ uploadLimits: { maxScenarios: 200, maxPerAddress: 20, maxBytesHeld: 3000 } });
    try {
      const scenario = (id: string) => JSON.stringify({ ...header(id), events: [{ at: '00:01', type: 'jets.scrambled', country: 'PL' }] });
      const post = (id: string) => api<ErrorReply & { deleteToken: string }>(small, '/api/scenarios', { method: 'POST', headers: { 'content-type': 'application/json' }, body: scenario(id) });
      const accepted: Array<{ id: string; token: string }> = [];
      let refused: Awaited<ReturnType<typeof post>> | undefined;
      for (let i = 0; i < 10 && !refused; i++) {
        const reply = await post(`room-${i}`);
        if (reply.status === 201) accepted.push({ id: `room-${i}`, token: reply.body.deleteToken });
        else refused = reply;
      }
      expect(accepted.length).toBeGreaterThan(0);
      expect([refused?.status, refused?.body.error.code]).toEqual([507, 'storage_full']);
      expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);

      const wrong = await api<ErrorReply>(small, `/api/scenarios/${accepted[0]!.id}`, { method: 'DELETE', headers: { authorization: 'Bearer nope' } });
      expect([wrong.status, wrong.body.error.code]).toEqual([403, 'forbidden']);
      const deleted = await api(small, `/api/scenarios/${accepted[0]!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${accepted[0]!.token}` } });
      expect(deleted.status).toBe(204);
      expect((await post('room-again')).status).toBe(201);
    } finally {
      await small.close();
    }
  });

  it('serves a scenario a page of events at a time', async () => {
    const first = await api<{ events: unknown[]; eventsPage: { offset: number; total: number; nextOffset?: number } }>(server, '/api/scenarios/canary?limit=150');
    expect(first.body.events).toHaveLength(150);
    expect(first.body.eventsPage).toMatchObject({ offset: 0, total: 400, nextOffset: 150 });
    const last = await api<{ events: unknown[]; eventsPage: { nextOffset?: number } }>(server, '/api/scenarios/canary?offset=300&limit=150');
    expect(last.body.events).toHaveLength(100);
    expect(last.body.eventsPage.nextOffset).toBeUndefined();
    expect((await api<ErrorReply>(server, '/api/scenarios/canary?limit=-1')).status).toBe(400);
  });
});

describe('sessions: quotas per address', () => {
  it('lets one address run 20 sessions, then answers 429 with Retry-After; a full server answers 503', async () => {
    const own = await startTestServer({ maxSessions: 25 });
    try {
      const create = () => api<ErrorReply>(own, '/api/sessions', { method: 'POST', json: { scenarioId: 'demo', autoplay: false } });
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await create()).status);
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(201));
      const refused = await create();
      expect([refused.status, refused.body.error.code]).toEqual([429, 'quota_exceeded']);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      // Other addresses fill the rest; then the server itself is full.
      for (let i = 0; i < 5; i++) await own.registry.create({ scenarioId: 'demo', speed: 1, positionMs: 0, autoplay: false, loop: false, kind: 'watch' }, `10.0.0.${i}`);
      await expect(own.registry.create({ scenarioId: 'demo', speed: 1, positionMs: 0, autoplay: false, loop: false, kind: 'watch' }, '10.0.1.1')).rejects.toMatchObject({
        code: 'server_busy',
        retryAfterS: expect.any(Number),
      });
    } finally {
      await own.close();
    }
  });

  it('is kept alive by its viewers and controls, not by anonymous reads', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false });
    const session = server.registry.require(s.id);
    const before = session.lastActivityMs;
    await new Promise((r) => setTimeout(r, 20));
    expect((await api(server, `/api/sessions/${s.id}`)).status).toBe(200);
    expect(session.lastActivityMs).toBe(before);
    await api(server, `/api/sessions/${s.id}/control`, { method: 'POST', json: { action: 'play' }, headers: { authorization: `Bearer ${s.instructorToken}` } });
    expect(session.lastActivityMs).toBeGreaterThan(before);
  });

  it('limits the connections one address holds and the rate at which it opens them', async () => {
    const own = await startTestServer({ quotas: { connectionsPerAddress: 8, connectionsPerSecond: 1, connectionBurst: 5 } });
    try {
      const s = await createSession(own, { scenarioId: 'demo', autoplay: false });
      const open = () =>
        new Promise<{ socket: Socket; result: string }>((resolve) => {
          const socket = connect(own.url, { auth: { sessionId: s.id, role: 'viewer' }, transports: ['websocket'], reconnection: false, forceNew: true });
          socket.once('connect', () => resolve({ socket, result: 'connected' }));
          socket.once('connect_error', (error: Error & { data?: ErrorReply }) => resolve({ socket, result: error.data?.error.code ?? error.message }));
        });
      const burst = await Promise.all(Array.from({ length: 7 }, open));
      expect(burst.map((b) => b.result).sort()).toEqual([...Array(5).fill('connected'), 'quota_exceeded', 'quota_exceeded']);
      for (const b of burst) b.socket.close();
    } finally {
      await own.close();
    }
  });

  it('admits trainees at a bounded rate and caps injects per minute', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const session = server.registry.require(s.id);
    const outcomes: string[] = [];
    for (let i = 0; i < 200; i++) {
      try {
        await session.joinTrainee(`ghost ${i}`, 'UA-46');
        outcomes.push('joined');
      } catch (error) {
        outcomes.push((error as { code: string }).code);
      }
    }
    expect(outcomes.filter((o) => o === 'joined').length).toBeLessThanOrEqual(65);
    expect(outcomes.filter((o) => o === 'quota_exceeded').length).toBeGreaterThanOrEqual(135);

    const instructor = new Recorder(server, { sessionId: s.id, role: 'instructor', token: s.instructorToken });
    await instructor.connected();
    const replies: Array<{ ok: boolean; error?: { code: string } }> = [];
    for (let i = 0; i < 35; i++) replies.push(await emitWithAck(instructor.socket, 'inject', { event: { type: 'jets.scrambled', country: 'PL' } }));
    expect(replies.slice(0, 30).every((r) => r.ok)).toBe(true);
    expect(replies.slice(30).map((r) => r.error?.code)).toEqual(Array(5).fill('quota_exceeded'));
    instructor.close();
  });

  it('keeps the shared state clean when an instructor injects "constructor" and "__proto__" as aircraft', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const instructor = new Recorder(server, { sessionId: s.id, role: 'instructor', token: s.instructorToken });
    await instructor.connected();
    for (const aircraft of ['constructor', '__proto__', 'toString']) {
      const up = await emitWithAck<{ ok: boolean }>(instructor.socket, 'inject', { event: { type: 'carrier.takeoff', aircraft, count: 2 } });
      expect(up.ok).toBe(true);
    }
    const landed = await emitWithAck<{ ok: boolean }>(instructor.socket, 'inject', { event: { type: 'carrier.landed', aircraft: 'constructor', count: 2 } });
    expect(landed.ok).toBe(true);
    const { body } = await api<{ carriersAirborne: Record<string, unknown> }>(server, `/api/sessions/${s.id}`);
    expect(Object.entries(body.carriersAirborne)).toEqual([['__proto__', 2], ['toString', 2]]);
    expect(Object.getPrototypeOf(server.registry.require(s.id).snapshot().carriersAirborne)).toBe(Object.prototype);
    const other = await createSession(server, { scenarioId: 'demo', autoplay: false });
    expect((await api<{ carriersAirborne: object }>(server, `/api/sessions/${other.id}`)).body.carriersAirborne).toEqual({});
    instructor.close();
  });
});

describe('join codes', () => {
  it('throttles 2,000 wrong join codes over one websocket, and the REST path shares the count', async () => {
    const own = await startTestServer();
    try {
      const drill = await createSession(own, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
      const manager = new Manager(own.url, { transports: ['websocket'], reconnection: false, forceNew: true });
      const socket = manager.socket('/', { auth: {} });
      const codes: string[] = [];
      for (let i = 0; i < 2000; i++) {
        socket.auth = { sessionId: drill.id, role: 'trainee', joinCode: `ZZZ${String(i).padStart(3, '2').slice(-3)}`, name: 'guess', region: 'UA-46' };
        const code = await new Promise<string>((resolve) => {
          socket.once('connect_error', (error: Error & { data?: ErrorReply }) => resolve(error.data?.error.code ?? error.message));
          socket.once('connect', () => resolve('connected'));
          socket.connect();
        });
        codes.push(code);
      }
      manager.engine?.close();
      expect(codes.filter((c) => c === 'forbidden').length).toBeLessThanOrEqual(11);
      expect(codes.filter((c) => c === 'rate_limited').length).toBeGreaterThanOrEqual(1989);
      // While blocked, even the right code is not compared, over REST as well.
      const rest = await api<ErrorReply>(own, `/api/join/${drill.joinCode}`);
      expect([rest.status, rest.body.error.code]).toEqual([429, 'rate_limited']);
      expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await own.close();
    }
  });
});

describe('every layer answers the contract', () => {
  it('answers a malformed URL with 400, and socket.io responses carry security headers', async () => {
    const bad = await api<ErrorReply>(server, '/api/sessions/%E0%A4%A');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'invalid_request']);
    const polling = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`);
    expect(polling.headers.get('x-content-type-options')).toBe('nosniff');
    expect(polling.headers.get('content-security-policy')).toContain("default-src 'none'");
    const refused = await fetch(`${server.url}/socket.io/?EIO=9&transport=nope`);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-frame-options')).toBe('DENY');
  });

  it('builds links from PUBLIC_URL, never from the request\'s Host', async () => {
    const own = await startTestServer({ publicUrl: 'https://sim.example.org/' });
    try {
      const created = await api<{ links: { watch: string } }>(own, '/api/sessions', { method: 'POST', json: { scenarioId: 'demo', autoplay: false }, headers: { host: 'evil.example' } });
      expect(created.body.links.watch).toMatch(/^https:\/\/sim\.example\.org\/s\/[\w-]+$/);
      const relative = await api<{ links: { watch: string } }>(server, '/api/sessions', { method: 'POST', json: { scenarioId: 'demo', autoplay: false }, headers: { host: 'evil.example' } });
      expect(relative.body.links.watch).toMatch(/^\/s\/[\w-]+$/);
    } finally {
      await own.close();
    }
  });

  it('sends a snapshot, not thousands of items, to a client that resumes far behind', async () => {
    const s = await createSession(server, { scenarioId: 'canary', speed: 3600 });
    const first = new Recorder(server, { sessionId: s.id, role: 'viewer' });
    await first.connected();
    await until(() => first.lastSeq > 300, 'three hundred items');
    first.close();
    const resumed = new Recorder(server, { sessionId: s.id, role: 'viewer', lastSeq: 1 });
    await resumed.connected();
    await until(() => resumed.snapshots.length > 0 || resumed.events.length > 0, 'the resume');
    expect(resumed.snapshots.length).toBe(1);
    resumed.close();
  });
});
