/**
 * The drill store, one suite run against both implementations: SQLite on a real file, and
 * PostgreSQL on a server of the test's own (test/helpers/postgres.ts; without PostgreSQL these
 * tests fail and say how to get it). What is written comes back whole after the store is opened
 * again, writes commit in the order they were called even when nobody waits, and a write that
 * fails fails alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioEvent } from '../../../server/domain/events.ts';
import type { DrillStore, StoredResponse, TraineeWrite } from '../../../server/sessions/drill-store.ts';
import { openDatabase } from '../../../server/storage/database.ts';
import { PgDrillStore } from '../../../server/storage/pg-drills.ts';
import { SqliteDrillStore } from '../../../server/storage/sqlite-drills.ts';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.ts';

/** A place for one test's data, and a way to open a store on it (again and again). */
interface Backend {
  readonly name: string;
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A fresh, empty place; `open` opens a store on it. */
  fresh(): Promise<() => Promise<DrillStore>>;
}

const dirs: string[] = [];
const sqlite: Backend = {
  name: 'SQLite',
  setUp: async () => {},
  tearDown: async () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  },
  fresh: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ars-drills-'));
    dirs.push(dir);
    return async () => new SqliteDrillStore(openDatabase({ dir }));
  },
};

let server: TestPostgres | undefined;
const postgres: Backend = {
  name: 'PostgreSQL',
  setUp: async () => {
    server = await startPostgres();
  },
  tearDown: async () => {
    await server?.stop();
  },
  fresh: async () => {
    if (!server) throw new Error('PostgreSQL did not start (see the error of beforeAll)');
    const url = await server.database();
    return () => PgDrillStore.open(url, (error) => console.error(error));
  },
};

const drill = {
  id: 'd1',
  scenarioId: 'demo',
  joinCode: 'ABC234',
  instructorToken: 'secret',
  regions: ['UA-32', 'UA-46'],
  createdAtMs: 1_764_979_200_123,
  creator: '127.0.0.1',
  clock: { positionMs: 0, speed: 60, playing: true, loop: false },
};

const trainee = (i: number, region = 'UA-32') => ({ participantId: `p-${i}`, token: `t${i}`, name: `Trainee ${i}`, region, joinedAtMs: 2 + i });
const open = (n: number, alertWallMs = 1_764_979_200_000 + n): StoredResponse => ({ n, alertAtMs: 1000 * n, alertWallMs, responseMs: null, responseWallMs: null, endedAtMs: null });
const alerted = (i: number, n: number): TraineeWrite => ({ kind: 'alerted', participantId: `p-${i}`, response: open(n) });
const ended = (i: number, n: number, endedAtMs: number): TraineeWrite => ({ kind: 'ended', participantId: `p-${i}`, n, endedAtMs });
const inject = (n: number) => ({ id: `inject-${n}`, type: 'alert.end', region: 'UA-32', atMs: 5, time: 't', text: { en: 'x' } }) as unknown as ScenarioEvent;

describe.each([sqlite, postgres])('the drill store in $name', (backend) => {
  let opened: DrillStore[] = [];
  beforeAll(() => backend.setUp(), 60_000);
  afterAll(() => backend.tearDown(), 30_000);
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => {});
  });
  const place = async () => {
    const openStore = await backend.fresh();
    return async () => {
      const store = await openStore();
      opened.push(store);
      return store;
    };
  };

  it('keeps drills, injects, trainees, alerts and answers across a reopen, and erases a drill whole', async () => {
    const openStore = await place();
    const first = await openStore();
    await first.createDrill(drill);
    await first.saveClock('d1', { positionMs: 125_500.7, speed: 10, playing: false, loop: true });
    await first.addInject('d1', 1, inject(1));
    await first.writeTrainees('d1', [{ kind: 'joined', participant: trainee(1) }]);
    await first.writeTrainees('d1', [alerted(1, 0), alerted(1, 1)]);
    await first.answer('d1', 'p-1', 0, 0, 1234);
    await first.writeTrainees('d1', [ended(1, 1, 7)]);
    await first.saveScenario({ id: 'mine', format: 'yaml', text: 'id: mine', address: '::1', deleteToken: 'del' });
    await first.close();

    const again = await openStore();
    const [kept] = await again.loadDrills();
    expect(kept).toMatchObject({ ...drill, clock: { positionMs: 125_500, speed: 10, playing: false, loop: true } });
    expect(kept!.injected).toEqual([inject(1)]);
    expect(kept!.participants).toEqual([
      {
        ...trainee(1),
        responses: [
          { ...open(0), responseMs: 0, responseWallMs: 1234 },
          { ...open(1), endedAtMs: 7 },
        ],
      },
    ]);
    expect(await again.loadScenarios()).toEqual([{ id: 'mine', format: 'yaml', text: 'id: mine', address: '::1', deleteToken: 'del' }]);
    await again.deleteScenario('mine');
    await again.deleteDrill('d1');
    expect(await again.loadDrills()).toEqual([]);
    expect(await again.loadScenarios()).toEqual([]);
  });

  it('commits writes in the order they were called, nobody waiting between them', async () => {
    const openStore = await place();
    const store = await openStore();
    // Each of these needs the one before it committed (a trainee needs its drill, an answer its alert).
    const writes = [
      store.createDrill(drill),
      store.writeTrainees('d1', [{ kind: 'joined', participant: trainee(1) }, alerted(1, 0)]),
      store.answer('d1', 'p-1', 0, 1500, 2500),
      store.writeTrainees('d1', [ended(1, 0, 9000), alerted(1, 1)]),
      store.addInject('d1', 1, inject(1)),
      store.addInject('d1', 2, inject(2)),
      store.saveClock('d1', { positionMs: 1, speed: 1, playing: false, loop: false }),
      store.saveClock('d1', { positionMs: 2, speed: 2, playing: true, loop: false }),
    ];
    await Promise.all(writes);
    await store.close();
    const [kept] = await (await openStore()).loadDrills();
    expect(kept!.clock).toEqual({ positionMs: 2, speed: 2, playing: true, loop: false });
    expect(kept!.injected.map((e) => e.id)).toEqual(['inject-1', 'inject-2']);
    expect(kept!.participants[0]!.responses).toEqual([
      { ...open(0), responseMs: 1500, responseWallMs: 2500, endedAtMs: 9000 },
      open(1),
    ]);
  });

  it('writes an alert over a region of 300 trainees in one call, alerts begun and ended within it included', async () => {
    const openStore = await place();
    const store = await openStore();
    await store.createDrill(drill);
    const ids = Array.from({ length: 300 }, (_, i) => i);
    await store.writeTrainees('d1', ids.map((i) => ({ kind: 'joined', participant: trainee(i, i % 2 ? 'UA-32' : 'UA-46') })));
    await store.writeTrainees('d1', ids.map((i) => alerted(i, 0)));
    // One moment: every alert 0 ends and alert 1 begins; trainee 0's alert 1 ends at once, and its end is then moved.
    await store.writeTrainees('d1', [...ids.flatMap((i) => [ended(i, 0, 60_000), alerted(i, 1)]), ended(0, 1, 61_000), ended(0, 1, 62_000)]);
    const [kept] = await store.loadDrills();
    expect(kept!.participants).toHaveLength(300);
    for (const p of kept!.participants) {
      const i = Number(p.participantId.slice(2));
      expect(p.region).toBe(i % 2 ? 'UA-32' : 'UA-46');
      expect(p.responses).toEqual([
        { ...open(0), endedAtMs: 60_000 },
        { ...open(1), endedAtMs: i === 0 ? 62_000 : null },
      ]);
    }
  });

  it('refuses an answer to an alert it never kept, and a failed write fails alone', async () => {
    const openStore = await place();
    const store = await openStore();
    await store.createDrill(drill);
    await store.writeTrainees('d1', [{ kind: 'joined', participant: trainee(1) }, alerted(1, 0)]);
    await expect(store.answer('d1', 'p-1', 1, 10, 10)).rejects.toThrow(/no alert 1/);
    await expect(store.answer('d1', 'p-2', 0, 10, 10)).rejects.toThrow(/no alert 0/);
    const broken = store.writeTrainees('d1', [{ kind: 'joined', participant: trainee(2) }, { kind: 'joined', participant: trainee(2) }]);
    const after = store.answer('d1', 'p-1', 0, 10, 20);
    await expect(broken).rejects.toThrow();
    await after;
    await expect(store.createDrill(drill)).rejects.toThrow();
    const [kept] = await store.loadDrills();
    // The refused transaction left nothing behind: trainee 2 is not half there.
    expect(kept!.participants.map((p) => p.participantId)).toEqual(['p-1']);
    expect(kept!.participants[0]!.responses).toEqual([{ ...open(0), responseMs: 10, responseWallMs: 20 }]);
  });

  it('keeps uploaded scenarios in the order they came; a second save of one id replaces it', async () => {
    const openStore = await place();
    const store = await openStore();
    for (const id of ['b', 'a', 'c']) await store.saveScenario({ id, format: 'json', text: `{"id":"${id}"}`, address: '10.0.0.1', deleteToken: `del-${id}` });
    await store.saveScenario({ id: 'a', format: 'yaml', text: 'id: a', address: '10.0.0.2', deleteToken: 'del-a2' });
    await store.deleteScenario('c');
    await store.close();
    const kept = await (await openStore()).loadScenarios();
    expect(kept.map((k) => k.id).sort()).toEqual(['a', 'b']);
    expect(kept.find((k) => k.id === 'a')).toEqual({ id: 'a', format: 'yaml', text: 'id: a', address: '10.0.0.2', deleteToken: 'del-a2' });
    expect(kept[0]!.id).toBe('b');
  });
});
