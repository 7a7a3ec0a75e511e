import { describe, expect, it } from 'vitest';
import { ScenarioStore } from '../../../server/scenario/store.ts';
import { NULL_SINK } from '../../../server/sessions/sink.ts';
import { DRILL_IDLE_MS, SessionRegistry, normalizeJoinCode } from '../../../server/sessions/registry.ts';
import { scenarioOf, marker } from '../../helpers/scenario.ts';

function registry(now: () => number) {
  const scenarios = new ScenarioStore();
  scenarios.add({ ...scenarioOf([marker(0, 'A'), marker(60_000, 'B')]), id: 'tiny' }, 'upload');
  return new SessionRegistry({ scenarios, sink: NULL_SINK, idleMs: 10 * 60_000, now });
}

const request = { scenarioId: 'tiny', speed: 1, positionMs: 0, autoplay: false, loop: false, kind: 'drill' as const };

describe('session registry', () => {
  it('reaps sessions nobody has used for the idle time, and keeps those in use; a drill waits longer', async () => {
    let now = Date.now();
    const reg = registry(() => now);
    const watch = { ...request, kind: 'watch' as const };
    const idle = await reg.create(watch);
    const watched = await reg.create(watch);
    const touched = await reg.create(watch);
    const drill = await reg.create(request);
    watched.connect();
    now += 9 * 60_000;
    touched.lastActivityMs = now;
    expect(reg.reapIdle()).toBe(0);
    now += 2 * 60_000;
    expect(reg.reapIdle()).toBe(1);
    expect(reg.get(idle.id)).toBeUndefined();
    expect(idle.isDisposed).toBe(true);
    expect(reg.get(watched.id)).toBe(watched);
    expect(reg.get(touched.id)).toBe(touched);
    expect(reg.byCode(idle.joinCode)).toBeUndefined();
    expect(reg.get(drill.id)).toBe(drill);
    now += DRILL_IDLE_MS;
    touched.lastActivityMs = now;
    expect(reg.reapIdle()).toBe(1);
    expect(reg.get(drill.id)).toBeUndefined();
    reg.close();
  });

  it('finds drills by join code whatever its case, spaces and dashes', async () => {
    const reg = registry(Date.now);
    const s = await reg.create(request);
    const spoken = `${s.joinCode.slice(0, 3).toLowerCase()} - ${s.joinCode.slice(3)}`;
    expect(reg.byCode(spoken)).toBe(s);
    expect(normalizeJoinCode(' ab-c 1 ')).toBe('ABC1');
    reg.close();
  });
});
