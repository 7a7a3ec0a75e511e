/** The socket protocol with a real server and real socket.io clients. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldEvents } from '../../../server/domain/reduce.ts';
import type { Scenario } from '../../../server/domain/scenario.ts';
import { initialState } from '../../../server/domain/state.ts';
import { generateScenario } from '../../../server/scenario/generate.ts';
import { loadScenarioObject } from '../../../server/scenario/load.ts';
import type { RunningServer } from '../../../server/server.ts';
import { api, connectError, createSession, emitWithAck, Recorder, startTestServer, until } from '../../helpers/server.ts';

let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ sessionLogCapacity: 300 });
  // 400 events over 20 minutes of night: 2 seconds at 600x.
  const generated = loadScenarioObject({ ...generateScenario({ events: 400, seed: 11, durationMs: 20 * 60_000 }), id: 'fast' });
  if (!generated.ok) throw new Error('generated scenario invalid');
  server.scenarios.add(generated.scenario, 'upload');
});
afterAll(async () => {
  await server.close();
});

const auth = (sessionId: string, extra: Record<string, unknown> = {}) => ({ sessionId, role: 'viewer', ...extra });
const control = (id: string, token: string, body: unknown) =>
  api<{ positionMs: number }>(server, `/api/sessions/${id}/control`, { method: 'POST', json: body, headers: { authorization: `Bearer ${token}` } });
const stateOf = (r: Recorder) => r.state!;
const regionsOf = (r: Recorder) => stateOf(r).regions;

async function viewers(sessionId: string, n: number): Promise<Recorder[]> {
  const list = Array.from({ length: n }, () => new Recorder(server, auth(sessionId)));
  await Promise.all(list.map((r) => r.connected()));
  await until(() => list.every((r) => r.snapshots.length > 0), 'first snapshots');
  return list;
}

/** Waits for a few more events and checks they arrived within a second of their due time. */
async function expectOnTime(watcher: Recorder): Promise<void> {
  const before = watcher.events.length;
  await until(() => watcher.events.length > before + 10, 'more events for the watcher');
  const clock = watcher.clocks.at(-1)!;
  const lateness = watcher.events
    .filter((e) => e.seq > clock.seq)
    .map((e) => watcher.receivedAt.get(e.seq)! - (clock.serverTimeMs + (e.atMs - clock.positionMs) / clock.speed));
  expect(lateness.length).toBeGreaterThan(5);
  expect(Math.max(...lateness)).toBeLessThan(1000);
}

describe('socket protocol: many clients, one sequence', () => {
  it('gives 50 clients identical sequences with no gap; a late joiner\'s snapshot equals what the others folded', async () => {
    const s = await createSession(server, { scenarioId: 'fast', speed: 600, autoplay: false });
    const clients = await viewers(s.id, 50);
    await control(s.id, s.instructorToken, { action: 'play' });
    await until(() => clients.every((c) => c.ended), 'the end of the night at 600x', 20_000);

    const first = clients[0]!.seqs;
    expect(first.length).toBeGreaterThan(400);
    first.forEach((seq, i) => i > 0 && expect(seq).toBe(first[i - 1]! + 1));
    expect(first[0]).toBe(clients[0]!.snapshots[0]!.seq + 1);
    for (const c of clients) expect(c.seqs).toEqual(first);
    // The client puts items in order and drops doubles; the server must not have needed it to.
    for (const c of clients) expect(c.client.stats).toMatchObject({ duplicates: 0, reordered: 0, resyncs: 0 });
    for (const c of clients) expect(c.events.map((e) => e.id)).toEqual(clients[0]!.events.map((e) => e.id));

    const late = new Recorder(server, auth(s.id));
    await until(() => late.snapshots.length === 1, 'the late joiner\'s snapshot');
    expect(late.snapshots[0]!.seq).toBe(first.at(-1));
    expect(late.snapshots[0]!.regions).toEqual(regionsOf(clients[0]!));
    expect(late.snapshots[0]!.counters).toEqual(stateOf(clients[7]!).counters);
    for (const c of [...clients, late]) c.close();
  });

  it('lets a client join in the middle and fold to the same night as one there from the start', async () => {
    const s = await createSession(server, { scenarioId: 'fast', speed: 300, autoplay: true });
    const [early] = await viewers(s.id, 1);
    await until(() => early!.events.length > 100, 'some events');
    const middle = new Recorder(server, auth(s.id));
    await until(() => early!.ended && middle.ended, 'the end', 20_000);
    expect(regionsOf(middle)).toEqual(regionsOf(early!));
    expect(stateOf(middle).counters).toEqual(stateOf(early!).counters);
    early!.close();
    middle.close();
  });
});

describe('socket protocol: controls', () => {
  it('reflects pause, seek back and forward, speed, step, restart and loop in every client\'s clock and snapshot', async () => {
    const s = await createSession(server, { scenarioId: '2025-12-06-barrage', autoplay: false });
    const clients = await viewers(s.id, 3);
    const instructor = new Recorder(server, auth(s.id, { role: 'instructor', token: s.instructorToken }));
    await instructor.connected();
    const seed = (await api<{ events: Array<{ atMs: number }> }>(server, '/api/scenarios/2025-12-06-barrage')).body;
    const act = async (c: Record<string, unknown>) => {
      const result = await emitWithAck<{ ok: boolean; clock: { positionMs: number } }>(instructor.socket, 'control', c);
      expect(result.ok, JSON.stringify(c)).toBe(true);
      const seq = instructor.lastSeq;
      await until(() => clients.every((r) => r.lastSeq >= seq), `every client after ${JSON.stringify(c)}`);
      return clients.map((r) => r.clocks.at(-1)!);
    };

    for (const clock of await act({ action: 'play' })) expect(clock.playing).toBe(true);
    for (const clock of await act({ action: 'pause' })) expect(clock.playing).toBe(false);
    // Seek forward, then back: a snapshot each time, equal to a fresh fold up to the position.
    for (const target of [11 * 3_600_000, 2 * 3_600_000]) {
      const before = clients.map((r) => r.snapshots.length);
      for (const clock of await act({ action: 'seek', positionMs: target })) expect(clock.positionMs).toBe(target);
      const { body: night } = await api<Scenario>(server, '/api/scenarios/2025-12-06-barrage');
      const expected = foldEvents(initialState(night.initial.alerts), night.events.filter((e) => e.atMs <= target));
      clients.forEach((r, i) => {
        expect(r.snapshots.length).toBe(before[i]! + 1);
        expect(r.snapshots.at(-1)!.regions).toEqual(expected.regions);
      });
    }
    for (const clock of await act({ action: 'speed', speed: 60 })) expect(clock.speed).toBe(60);
    const beforeStep = clients.map((r) => r.events.length);
    for (const clock of await act({ action: 'step', direction: 1 })) expect(clock.playing).toBe(false);
    clients.forEach((r, i) => expect(r.events.length).toBe(beforeStep[i]! + 1));
    const stepped = clients[0]!.events.at(-1)!;
    expect(stepped.atMs).toBe(seed.events.find((e) => e.atMs > 2 * 3_600_000)!.atMs);
    for (const clock of await act({ action: 'loop', loop: true })) expect(clock.loop).toBe(true);
    for (const clock of await act({ action: 'restart' })) expect([clock.positionMs < 1000, clock.playing]).toEqual([true, true]);
    for (const r of clients) expect(r.snapshots.at(-1)!.clock.positionMs).toBe(0);

    // The REST control reaches every client the same way.
    await control(s.id, s.instructorToken, { action: 'pause' });
    await until(() => clients.every((r) => r.clocks.at(-1)!.playing === false), 'the REST pause');
    for (const r of [...clients, instructor]) r.close();
  });

  it('refuses a viewer\'s or a trainee\'s control with forbidden and changes nothing', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const [viewer] = await viewers(s.id, 1);
    const trainee = new Recorder(server, auth(s.id, { role: 'trainee', joinCode: s.joinCode, name: 'Олена', region: 'UA-46' }));
    await trainee.connected();
    const before = (await api<{ clock: object; seq: number }>(server, `/api/sessions/${s.id}`)).body;
    for (const r of [viewer!, trainee]) {
      const result = await emitWithAck<{ ok: boolean; error: { code: string } }>(r.socket, 'control', { action: 'play' });
      expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const injected = await emitWithAck<{ ok: boolean; error: { code: string } }>(r.socket, 'inject', { event: { type: 'jets.scrambled', country: 'PL' } });
      expect(injected).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    const after = (await api<{ clock: { playing: boolean; positionMs: number }; seq: number }>(server, `/api/sessions/${s.id}`)).body;
    expect(after.seq).toBe(before.seq);
    expect(after.clock.playing).toBe(false);
    expect(after.clock.positionMs).toBe(0);
    viewer!.close();
    trainee.close();
  });
});

describe('socket protocol: resuming', () => {
  it('gives a client back exactly the items it missed when it reconnects with lastSeq', async () => {
    const s = await createSession(server, { scenarioId: 'fast', speed: 300, autoplay: true });
    const [steady, leaving] = await viewers(s.id, 2);
    await until(() => leaving!.events.length > 20, 'some events');
    leaving!.close();
    const lastSeq = leaving!.lastSeq;
    await until(() => steady!.lastSeq > lastSeq + 20, 'items while away');
    const back = new Recorder(server, auth(s.id, { lastSeq }));
    await until(() => steady!.ended && back.ended, 'the end', 20_000);
    expect(back.snapshots).toHaveLength(0);
    expect(back.client.stats).toMatchObject({ duplicates: 0, reordered: 0 });
    // The two joined while the replay was already playing: compare from the later snapshot on.
    const from = Math.max(steady!.snapshots[0]!.seq, leaving!.snapshots[0]!.seq);
    expect([...leaving!.seqs.filter((q) => q > from && q <= lastSeq), ...back.seqs]).toEqual(steady!.seqs.filter((q) => q > from));
    steady!.close();
    back.close();
  });

  it('sends a snapshot instead when the missed items are gone from the log, or a seek came between', async () => {
    const s = await createSession(server, { scenarioId: 'fast', speed: 600, autoplay: true });
    const [steady] = await viewers(s.id, 1);
    await until(() => steady!.events.length > 5, 'some events');
    const early = steady!.lastSeq;
    await until(() => steady!.ended, 'the end', 20_000);
    // More than the 300 items the test server keeps have passed since `early`.
    expect(steady!.lastSeq - early).toBeGreaterThan(300);
    const tooLate = new Recorder(server, auth(s.id, { lastSeq: early }));
    await until(() => tooLate.snapshots.length === 1, 'a snapshot');
    expect(tooLate.snapshots[0]!.regions).toEqual(regionsOf(steady!));

    const lastSeq = steady!.lastSeq;
    await control(s.id, s.instructorToken, { action: 'seek', positionMs: 60_000 });
    const afterSeek = new Recorder(server, auth(s.id, { lastSeq }));
    await until(() => afterSeek.snapshots.length === 1, 'a snapshot after the seek');
    expect(afterSeek.snapshots[0]!.clock.positionMs).toBe(60_000);
    for (const r of [steady!, tooLate, afterSeek]) r.close();
  });
});

describe('socket protocol: hostile input', () => {
  it('refuses bad handshakes with typed connect errors', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ sessionId: 'nope', role: 'viewer' }, 'session_not_found'],
      [{ sessionId: s.id, role: 'admin' }, 'invalid_handshake'],
      [{ role: 'viewer' }, 'invalid_handshake'],
      [{ sessionId: s.id, role: 'instructor' }, 'unauthorized'],
      [{ sessionId: s.id, role: 'instructor', token: 'guess' }, 'forbidden'],
      [{ sessionId: s.id, role: 'trainee', joinCode: s.joinCode, name: 'x', region: 'UA-46' }, 'forbidden'],
      [{ sessionId: s.id, role: 'viewer', lastSeq: -4 }, 'invalid_handshake'],
    ];
    for (const [handshake, code] of cases) {
      const refused = await connectError(server, handshake);
      expect((refused.data as { error: { code: string } }).error.code, JSON.stringify(handshake)).toBe(code);
    }
  });

  it('answers oversized, malformed and flooding messages with typed errors while others keep receiving on time', async () => {
    const s = await createSession(server, { scenarioId: 'fast', speed: 60, autoplay: false });
    const [watcher] = await viewers(s.id, 1);
    const attacker = new Recorder(server, auth(s.id, { role: 'instructor', token: s.instructorToken }));
    await attacker.connected();
    await control(s.id, s.instructorToken, { action: 'play' });

    const huge = await emitWithAck<{ ok: boolean; error: { code: string } }>(attacker.socket, 'control', { action: 'seek', positionMs: 1, pad: 'x'.repeat(200 * 1024) });
    expect(huge).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    // The limit is in bytes: 40,000 Cyrillic letters are 40,000 UTF-16 units but 80,000 bytes.
    const wide = await emitWithAck<{ ok: boolean; error: { code: string } }>(attacker.socket, 'control', { action: 'seek', positionMs: 1, pad: 'ж'.repeat(40_000) });
    expect(wide).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    const wrongType = await emitWithAck<{ ok: boolean; error: { code: string } }>(attacker.socket, 'control', { action: 'seek', positionMs: 'soon' });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'invalid_control' } });
    const notAControl = await emitWithAck<{ ok: boolean; error: { code: string } }>(attacker.socket, 'control', 'play');
    expect(notAControl).toMatchObject({ ok: false, error: { code: 'invalid_control' } });
    const badEvent = await emitWithAck<{ ok: boolean; error: { code: string } }>(attacker.socket, 'inject', { event: { type: 'alert.start', region: 'XX-1' } });
    expect(badEvent).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const notAnInjection = await emitWithAck<{ ok: boolean; error: { code: string } }>(attacker.socket, 'inject', 'alert everywhere');
    expect(notAnInjection).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    // A flood: the first messages pass, the rest are refused, and past 200 refusals in a
    // second the connection is closed.
    const answers: Array<{ ok: boolean; error?: { code: string } }> = [];
    for (let i = 0; i < 1000; i++) attacker.socket.emit('control', { action: 'speed', speed: 60 }, (a: { ok: boolean }) => answers.push(a));
    await until(() => attacker.socket.disconnected, 'the flooding client to be cut off');
    expect(answers.filter((a) => a.error?.code === 'rate_limited').length).toBeGreaterThanOrEqual(150);
    expect(answers.filter((a) => a.ok).length).toBeLessThanOrEqual(40);

    // Meanwhile the watcher's events kept arriving close to their due time.
    await expectOnTime(watcher!);
    watcher!.close();
    attacker.close();
  });

  it('runs many sessions side by side without slowing one another', async () => {
    const busy = await Promise.all(Array.from({ length: 6 }, () => createSession(server, { scenarioId: 'fast', speed: 3600, autoplay: false, loop: true })));
    const busyViewers = (await Promise.all(busy.map((b) => viewers(b.id, 5)))).flat();
    const s = await createSession(server, { scenarioId: 'fast', speed: 60, autoplay: false });
    const [watcher] = await viewers(s.id, 1);
    await Promise.all([...busy, s].map((b) => control(b.id, b.instructorToken, { action: 'play' })));
    await expectOnTime(watcher!);
    expect(busyViewers.every((v) => v.snapshots.length > 1)).toBe(true); // they looped, so they were busy
    for (const r of [watcher!, ...busyViewers]) r.close();
    await Promise.all(busy.map((b) => control(b.id, b.instructorToken, { action: 'pause' })));
  });

  it('does not let a client that stops reading stall the others', async () => {
    const s = await createSession(server, { scenarioId: 'fast', speed: 600, autoplay: false });
    const [reader, stalled] = await viewers(s.id, 2);
    const tcp = (stalled!.socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws._socket;
    tcp.pause();
    await control(s.id, s.instructorToken, { action: 'play' });
    await until(() => reader!.ended, 'the end for the reader', 20_000);
    expect(reader!.events.length).toBeGreaterThan(300);
    reader!.close();
    stalled!.close();
  });
});

describe('socket protocol: drills', () => {
  it('admits trainees with the join code, records their shelter reports, and reports response times', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const instructor = new Recorder(server, auth(s.id, { role: 'instructor', token: s.instructorToken }));
    await instructor.connected();
    const trainee = new Recorder(server, auth(s.id, { role: 'trainee', joinCode: s.joinCode.toLowerCase(), name: 'Taras', region: 'UA-32' }));
    const welcome = await new Promise<{ participantId: string; participantToken: string }>((r) => trainee.socket.once('welcome', r));
    await until(() => instructor.rosters.some((x) => x.participants.some((p) => p.name === 'Taras' && p.connected)), 'the trainee in the roster');

    // Kyiv oblast's alert in the demo starts at 00:02:00; play past it.
    await control(s.id, s.instructorToken, { action: 'speed', speed: 60 });
    await control(s.id, s.instructorToken, { action: 'play' });
    await until(() => trainee.events.some((e) => e.type === 'alert.start' && e.region === 'UA-32'), 'the alert in the trainee\'s region', 10_000);
    const ack = await emitWithAck<{ ok: boolean; alertAtMs: number; responseMs: number }>(trainee.socket, 'shelter', { inShelter: true });
    expect(ack.ok).toBe(true);
    expect(ack.alertAtMs).toBe(120_000);
    expect(ack.responseMs).toBeGreaterThanOrEqual(0);
    // One answer per alert: a second press is refused, not counted.
    expect(await emitWithAck(trainee.socket, 'shelter', {})).toMatchObject({ ok: false, error: { code: 'already_answered' } });

    // The trainee comes back as itself, answer kept.
    trainee.close();
    const again = new Recorder(server, auth(s.id, { role: 'trainee', ...welcome }));
    await again.connected();
    await control(s.id, s.instructorToken, { action: 'pause' });
    const report = await api<{ trainees: number; rows: Array<{ name: string; region: string; alertAtMs: number; responseMs: number | null }> }>(
      server,
      `/api/sessions/${s.id}/report`,
      { headers: { authorization: `Bearer ${s.instructorToken}` } },
    );
    expect(report.body.trainees).toBe(1);
    expect(report.body.rows).toEqual([
      {
        participantId: welcome.participantId,
        name: 'Taras',
        region: 'UA-32',
        regionName: 'Kyiv oblast',
        alertAtMs: 120_000,
        alertTime: expect.any(String),
        responseMs: ack.responseMs,
        responseWallMs: expect.any(Number),
        missed: false,
      },
    ]);
    expect(report.body.rows[0]!.responseMs).toBeGreaterThanOrEqual(0);
    const viewerShelter = new Recorder(server, auth(s.id));
    await viewerShelter.connected();
    expect(await emitWithAck(viewerShelter.socket, 'shelter', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    for (const r of [instructor, again, viewerShelter]) r.close();
  });

  it('lets the instructor inject an event that every participant receives in sequence', async () => {
    const s = await createSession(server, { scenarioId: 'demo', autoplay: false, kind: 'drill' });
    const [viewer] = await viewers(s.id, 1);
    const instructor = new Recorder(server, auth(s.id, { role: 'instructor', token: s.instructorToken }));
    await instructor.connected();
    const result = await emitWithAck<{ ok: boolean; event: { seq: number; type: string; region: string; reconstructed: boolean } }>(instructor.socket, 'inject', {
      event: { type: 'alert.start', region: 'UA-07', threats: ['drone'] },
    });
    expect(result.ok).toBe(true);
    await until(() => viewer!.events.some((e) => e.seq === result.event.seq), 'the injected event');
    expect(regionsOf(viewer!)['UA-07']!.alert).not.toBeNull();
    const late = new Recorder(server, auth(s.id));
    await until(() => late.snapshots.length === 1, 'snapshot');
    expect(late.snapshots[0]!.regions['UA-07']!.alert).not.toBeNull();
    for (const r of [viewer!, instructor, late]) r.close();
  });
});
