/** The SQLite drill store: what is written comes back whole, on a real file opened again. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../server/storage/database.ts';
import { SqliteDrillStore } from '../../../server/storage/sqlite-drills.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const drill = {
  id: 'd1',
  scenarioId: 'demo',
  joinCode: 'ABC234',
  instructorToken: 'secret',
  regions: ['UA-32', 'UA-46'],
  createdAtMs: 1,
  creator: '127.0.0.1',
  clock: { positionMs: 0, speed: 60, playing: true, loop: false },
};

describe('SqliteDrillStore', () => {
  it('keeps drills, injects, trainees, alerts and answers across a reopen, and erases a drill whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ars-drills-'));
    dirs.push(dir);
    const first = new SqliteDrillStore(openDatabase({ dir }));
    first.createDrill(drill);
    first.saveClock('d1', { positionMs: 125_500.7, speed: 10, playing: false, loop: true });
    first.addInject('d1', 1, { id: 'inject-1', type: 'alert.end', region: 'UA-32', atMs: 5, time: 't', text: { en: 'x' } } as never);
    first.addParticipant('d1', { participantId: 'p-1', token: 't1', name: 'Olena', region: 'UA-32', joinedAtMs: 2 });
    first.transaction(() => {
      first.openAlert('d1', 'p-1', { n: 0, alertAtMs: 0, alertWallMs: 100, responseMs: null, responseWallMs: null, endedAtMs: null });
      first.openAlert('d1', 'p-1', { n: 1, alertAtMs: 0, alertWallMs: 900, responseMs: null, responseWallMs: null, endedAtMs: null });
    });
    first.answer('d1', 'p-1', 0, 0, 1234);
    first.closeAlert('d1', 'p-1', 1, 7);
    first.saveScenario({ id: 'mine', format: 'yaml', text: 'id: mine', address: '::1', deleteToken: 'del' });
    first.close();

    const again = new SqliteDrillStore(openDatabase({ dir }));
    const [kept] = again.loadDrills();
    expect(kept).toMatchObject({ ...drill, clock: { positionMs: 125_500, speed: 10, playing: false, loop: true } });
    expect(kept!.injected.map((e) => e.id)).toEqual(['inject-1']);
    expect(kept!.participants).toEqual([
      {
        participantId: 'p-1',
        token: 't1',
        name: 'Olena',
        region: 'UA-32',
        joinedAtMs: 2,
        responses: [
          { n: 0, alertAtMs: 0, alertWallMs: 100, responseMs: 0, responseWallMs: 1234, endedAtMs: null },
          { n: 1, alertAtMs: 0, alertWallMs: 900, responseMs: null, responseWallMs: null, endedAtMs: 7 },
        ],
      },
    ]);
    expect(again.loadScenarios()).toEqual([{ id: 'mine', format: 'yaml', text: 'id: mine', address: '::1', deleteToken: 'del' }]);
    again.deleteDrill('d1');
    expect(again.loadDrills()).toEqual([]);
    again.close();
  });
});
