/**
 * The SDK against a real server whose feed misbehaves on purpose: duplicates, reordering, drops
 * and forced disconnects. Whatever the faults, the SDK yields each event once and in order, the
 * same events as the night played in virtual time with no server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Gap, type SimClient } from '../../../client/sdk/index.ts';
import type { FaultProfileInput, FaultReport } from '../../../server/contract/faults.ts';
import type { TimelineEvent } from '../../../server/domain/events.ts';
import type { RunningServer } from '../../../server/server.ts';
import { playNight } from '../../../server/testing/index.ts';
import { api, createSession, startTestServer, until } from '../../helpers/server.ts';

const SEED = '2025-12-06-barrage';
/** The night's last three hours: at 3600x about three seconds of wall time. */
let FROM_MS = 0;
let expected: TimelineEvent[] = [];
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer();
  const duration = (await api<{ durationMs: number }>(server, `/api/scenarios/${SEED}`)).body.durationMs;
  FROM_MS = duration - 3 * 3600_000;
  expected = (await playNight({ positionMs: FROM_MS })).events;
});
afterAll(() => server.close());

interface Run {
  client: SimClient;
  events: TimelineEvent[];
  gaps: Gap[];
  reports: FaultReport[];
  ended: Promise<void>;
}

/** A paused session at FROM_MS with `profile`, watched through the SDK by its instructor. */
async function watch(profile: FaultProfileInput | undefined, clientFaults?: FaultProfileInput): Promise<Run & { id: string; token: string }> {
  const created = await createSession(server, { scenarioId: SEED, positionMs: FROM_MS, speed: 3600, autoplay: false });
  if (profile) {
    const put = await api(server, `/api/sessions/${created.id}/faults`, { method: 'PUT', headers: { authorization: `Bearer ${created.instructorToken}` }, json: profile });
    expect(put.status).toBe(200);
  }
  const client = connect({
    url: server.url,
    sessionId: created.id,
    token: created.instructorToken,
    gapWaitMs: 300,
    socket: { reconnectionDelay: 50, reconnectionDelayMax: 200 },
    ...(clientFaults ? { faults: clientFaults } : {}),
  });
  const run: Run = { client, events: [], gaps: [], reports: [], ended: Promise.resolve() };
  client.event$.subscribe((e) => run.events.push(e));
  client.gap$.subscribe((g) => run.gaps.push(g));
  client.faults$.subscribe((r) => run.reports.push(r));
  run.ended = new Promise((resolve) => client.clock$.subscribe((c) => !c.playing && c.positionMs >= c.durationMs && resolve()));
  await client.ready();
  return { ...run, id: created.id, token: created.instructorToken };
}

const ids = (events: readonly TimelineEvent[]) => events.map((e) => e.id);

describe('the SDK and the virtual-time helper', () => {
  it('yield the same night: all eighteen hours live at 3600x, event for event, and the same final state', async () => {
    const virtual = await playNight({ positionMs: 0 });
    const created = await createSession(server, { scenarioId: SEED, positionMs: 0, speed: 3600, autoplay: false });
    const client = connect({ url: server.url, sessionId: created.id, token: created.instructorToken });
    const events: TimelineEvent[] = [];
    client.event$.subscribe((e) => events.push(e));
    const ended = new Promise<void>((resolve) => client.clock$.subscribe((c) => !c.playing && c.positionMs >= c.durationMs && resolve()));
    await client.ready();
    await client.control({ action: 'play' });
    await ended;
    await until(() => events.length >= virtual.events.length, 'every event of the night');
    expect(events.map((e) => [e.id, e.atMs, e.type])).toEqual(virtual.events.map((e) => [e.id, e.atMs, e.type]));
    expect(virtual.events.length).toBeGreaterThan(800);
    expect(client.state?.regions).toEqual(virtual.state.regions);
    expect(client.state?.counters).toEqual(virtual.state.counters);
    client.close();
  }, 60_000);
});

describe('the SDK under faults', () => {
  it('yields each event once and in order despite duplicates, reordering, latency and a dropped stretch', async () => {
    const run = await watch({
      seed: 7,
      duplicate: { rate: 0.2 },
      reorder: { rate: 0.2, windowMs: 60 },
      latency: { rate: 0.3, ms: 5, jitterMs: 20 },
      drop: { at: [{ fromMs: FROM_MS + 3600_000, toMs: FROM_MS + 3 * 3600_000 - 600_000 }] },
    });
    expect(run.reports.at(-1)?.profile?.seed).toBe(7);
    await run.client.control({ action: 'play' });
    await run.ended;
    await until(() => run.events.length >= expected.length, 'every event');
    expect(ids(run.events)).toEqual(ids(expected));
    expect(new Set(run.events.map((e) => e.seq)).size).toBe(run.events.length);
    expect(run.gaps).toEqual([]);
    expect(run.client.stats.duplicates).toBeGreaterThan(0);
    expect(run.client.stats.reordered).toBeGreaterThan(0);
    expect(run.client.stats.resyncs).toBeGreaterThan(0);
    const report = (await api<FaultReport>(server, `/api/sessions/${run.id}/faults`)).body;
    expect(report.counts.duplicate).toBeGreaterThan(0);
    expect(report.counts.reorder).toBeGreaterThan(0);
    expect(report.counts.drop).toBeGreaterThan(0);
    run.client.close();
  });

  it('resumes with no gap after forced disconnects', async () => {
    const run = await watch({ seed: 3, disconnect: { at: [{ fromMs: FROM_MS + 1800_000, toMs: FROM_MS + 2 * 3600_000 }, { fromMs: FROM_MS + 2 * 3600_000 + 1, toMs: FROM_MS + 3 * 3600_000 }] } });
    await run.client.control({ action: 'play' });
    await run.ended;
    await until(() => run.events.length >= expected.length, 'every event');
    expect(ids(run.events)).toEqual(ids(expected));
    expect(run.gaps).toEqual([]);
    expect(run.client.stats.connects).toBeGreaterThanOrEqual(3);
    expect((await api<FaultReport>(server, `/api/sessions/${run.id}/faults`)).body.counts.disconnect).toBe(2);
    run.client.close();
  });

  it('applies a client\'s own faults to that client only, and tells it so', async () => {
    const faulted = await watch(undefined, { seed: 11, duplicate: { rate: 0.3 }, reorder: { rate: 0.3, windowMs: 40 } });
    const plain = connect({ url: server.url, sessionId: faulted.id });
    const plainEvents: TimelineEvent[] = [];
    plain.event$.subscribe((e) => plainEvents.push(e));
    await plain.ready();
    await faulted.client.control({ action: 'play' });
    await faulted.ended;
    await until(() => faulted.events.length >= expected.length && plainEvents.length >= expected.length, 'every event on both');
    expect(ids(faulted.events)).toEqual(ids(expected));
    expect(ids(plainEvents)).toEqual(ids(expected));
    expect(faulted.reports.at(-1)?.scope).toBe('client');
    expect(faulted.client.stats.duplicates).toBeGreaterThan(0);
    expect(plain.stats.duplicates).toBe(0);
    expect((await api<FaultReport>(server, `/api/sessions/${faulted.id}/faults`)).body.profile).toBeNull();
    faulted.client.close();
    plain.close();
  });

  it('reports a gap it could not fill when the server answers a resume with a snapshot', async () => {
    const created = await createSession(server, { scenarioId: SEED, positionMs: 0, speed: 3600, autoplay: false });
    // A lastSeq the server never reached (another life of the session): it answers with a snapshot.
    const client = connect({ url: server.url, sessionId: created.id, lastSeq: 5 });
    const gaps: Gap[] = [];
    client.gap$.subscribe((g) => gaps.push(g));
    const snapshot = await client.ready();
    expect(snapshot.seq).toBe(0);
    client.close();
    // Behind by more than the server keeps: a gap is reported, the state is whole again.
    const seen = connect({ url: server.url, sessionId: created.id, token: created.instructorToken });
    await seen.ready();
    await seen.control({ action: 'speed', speed: 3600 });
    await seen.control({ action: 'play' });
    await until(() => (seen.lastSeq ?? 0) > 250, 'items beyond what a resume sends');
    const late = connect({ url: server.url, sessionId: created.id, lastSeq: 1 });
    const lateGaps: Gap[] = [];
    late.gap$.subscribe((g) => lateGaps.push(g));
    await until(() => lateGaps.length > 0, 'a reported gap');
    expect(lateGaps[0]).toMatchObject({ fromSeq: 2, resolvedBy: 'snapshot' });
    expect(late.state).toBeDefined();
    seen.close();
    late.close();
  });
});
