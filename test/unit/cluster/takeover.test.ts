/**
 * A session taken over by another node carries on with the same state: built from its spec, the
 * drill from the store, the cursor and seq of the last logged item. Here both "nodes" are
 * registries in one process over one store; the journal is captured instead of going to Redis.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioStore } from '../../../server/scenario/store.ts';
import { NULL_SINK } from '../../../server/sessions/sink.ts';
import { SessionRegistry, type RegistryCluster, type SessionSpec } from '../../../server/sessions/registry.ts';
import type { JournalMark } from '../../../server/sessions/session.ts';
import { openMemoryDatabase } from '../../../server/storage/database.ts';
import { SqliteDrillStore } from '../../../server/storage/sqlite-drills.ts';
import { scenarioOf, marker } from '../../helpers/scenario.ts';

function node(drills: SqliteDrillStore, marks: Array<{ seq: number; mark: JournalMark }>, specs: SessionSpec[]) {
  const scenarios = new ScenarioStore();
  scenarios.add({ ...scenarioOf([marker(0, 'A'), marker(60_000, 'B'), marker(120_000, 'C')]), id: 'tiny' }, 'upload');
  const cluster: RegistryCluster = {
    running: async (spec) => void specs.push(spec),
    stopped: () => {},
    journal: () => ({
      item: (message, mark) => marks.push({ seq: message.kind === 'events' ? message.events.at(-1)!.seq : message.clock.seq, mark }),
      jump: (seq, mark) => marks.push({ seq, mark }),
    }),
  };
  return new SessionRegistry({ scenarios, sink: NULL_SINK, drills, cluster });
}

describe('take-over', () => {
  it.each([
    ['after a seek', 70_000],
    ['at the very start, where events fall due at the same moment', 0],
  ])("keeps a drill's injected alert, its seq and its position: injected %s", async (_, injectAt) => {
    const drills = new SqliteDrillStore(openMemoryDatabase());
    const marks: Array<{ seq: number; mark: JournalMark }> = [];
    const specs: SessionSpec[] = [];
    const first = node(drills, marks, specs);
    const drill = await first.create({ scenarioId: 'tiny', speed: 1, positionMs: 0, autoplay: false, loop: false, kind: 'drill', regions: ['UA-46'] });
    if (injectAt > 0) drill.control({ action: 'seek', positionMs: injectAt });
    await drill.inject({ type: 'alert.start', region: 'UA-46', threats: ['drone'] });
    const before = drill.snapshot();
    expect(before.regions['UA-46']?.alert).toBeTruthy();
    const last = marks.at(-1)!;

    const second = node(drills, [], []);
    const kept = (await drills.loadDrills()).find((d) => d.id === drill.id)!;
    const { clock } = last.mark;
    const taken = second.adopt(specs[0]!, { seq: last.seq, cursor: last.mark.cursor, positionMs: clock.positionMs, speed: clock.speed, playing: clock.playing, loop: clock.loop }, kept);
    const after = taken.snapshot();
    expect(after.seq).toBe(before.seq);
    expect(after.clock.positionMs).toBe(before.clock.positionMs);
    expect(after.regions).toEqual(before.regions);
    first.close();
    second.close();
  });
});
