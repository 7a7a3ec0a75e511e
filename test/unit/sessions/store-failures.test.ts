/**
 * When the drill store refuses a write: whoever waits for it is refused too and memory is put
 * back (no drill, no trainee, no answer that was never kept), and a write nobody waits for (the
 * clock, alerts opened and closed) is reported, never an unhandled rejection.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioStore } from '../../../server/scenario/store.ts';
import { NULL_DRILL_STORE, type DrillStore } from '../../../server/sessions/drill-store.ts';
import { SessionRegistry } from '../../../server/sessions/registry.ts';
import { NULL_SINK } from '../../../server/sessions/sink.ts';
import { marker, scenarioOf } from '../../helpers/scenario.ts';

/** A store that keeps nothing, and refuses the writes named in `refusing`. */
function refusingStore(refusing: Set<keyof DrillStore>): DrillStore {
  const store = { ...NULL_DRILL_STORE } as Record<string, unknown>;
  for (const [name, method] of Object.entries(NULL_DRILL_STORE)) {
    store[name] = (...args: unknown[]) =>
      refusing.has(name as keyof DrillStore) ? Promise.reject(new Error(`${name} refused`)) : (method as (...a: unknown[]) => Promise<unknown>)(...args);
  }
  return store as unknown as DrillStore;
}

function setUp(refusing: Set<keyof DrillStore>) {
  const scenarios = new ScenarioStore();
  scenarios.add({ ...scenarioOf([marker(0, 'A'), marker(600_000, 'B')]), id: 'quiet' }, 'upload');
  const failures: string[] = [];
  const registry = new SessionRegistry({ scenarios, sink: NULL_SINK, drills: refusingStore(refusing), storeFailed: (error, write) => failures.push(`${write}: ${(error as Error).message}`) });
  const request = { scenarioId: 'quiet', speed: 1, positionMs: 0, autoplay: false, loop: false, kind: 'drill' as const, regions: ['UA-46'] };
  return { registry, failures, request };
}

describe('a drill store that refuses writes', () => {
  it('refuses a drill it cannot keep, and holds no session of it', async () => {
    const { registry, request } = setUp(new Set(['createDrill']));
    await expect(registry.create(request)).rejects.toThrow('createDrill refused');
    expect(registry.size).toBe(0);
    registry.close();
  });

  it('refuses a trainee it cannot keep, and forgets it', async () => {
    const refusing = new Set<keyof DrillStore>(['writeTrainees']);
    const { registry, request } = setUp(refusing);
    const session = await registry.create(request);
    await expect(session.joinTrainee('Olena', 'UA-46')).rejects.toThrow('writeTrainees refused');
    expect(session.roster().participants).toEqual([]);
    refusing.clear();
    const p = await session.joinTrainee('Olena', 'UA-46');
    expect(session.roster().participants.map((r) => r.participantId)).toEqual([p.participantId]);
    registry.close();
  });

  it('does not acknowledge an answer it cannot keep: the trainee stays alerted and may answer again', async () => {
    const refusing = new Set<keyof DrillStore>();
    const { registry, request, failures } = setUp(refusing);
    const session = await registry.create(request);
    const p = await session.joinTrainee('Olena', 'UA-46');
    await session.inject({ type: 'alert.start', region: 'UA-46', threats: ['drone'] });
    expect(session.traineeStatus(p).state).toBe('alerted');
    refusing.add('answer');
    await expect(session.shelter(p)).rejects.toThrow('answer refused');
    expect(session.traineeStatus(p)).toMatchObject({ state: 'alerted', alert: { responseMs: null, responseWallMs: null } });
    refusing.clear();
    const answered = await session.shelter(p);
    expect(session.traineeStatus(p)).toMatchObject({ state: 'sheltered', alert: { responseWallMs: answered.responseWallMs } });
    expect(failures).toEqual([]);
    registry.close();
  });

  it('reports the clock and alert writes nobody waits for, and goes on', async () => {
    const refusing = new Set<keyof DrillStore>(['saveClock', 'writeTrainees']);
    const { registry, request, failures } = setUp(refusing);
    refusing.delete('writeTrainees');
    const session = await registry.create(request);
    const p = await session.joinTrainee('Olena', 'UA-46');
    refusing.add('writeTrainees');
    session.control({ action: 'speed', speed: 10 });
    await session.inject({ type: 'alert.start', region: 'UA-46', threats: ['drone'] });
    await new Promise((r) => setTimeout(r, 0));
    expect(failures).toEqual(['clock: saveClock refused', 'alerts: writeTrainees refused']);
    // The drill goes on in memory: the trainee is under alert.
    expect(session.traineeStatus(p).state).toBe('alerted');
    registry.close();
  });
});
