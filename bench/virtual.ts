/**
 * `npm run bench -- virtual`: the seed night played in virtual time (`air-raid-sim/testing`),
 * the way a team's own test suite plays it. Goal: the whole night (18 hours of scenario time) in under a second
 * of wall time, so a test can replay it on every run. The baseline is the bare fold of the same
 * events with `reduce` (no engine, no scheduler): what the virtual clock costs on top of it.
 */
import { foldEvents } from '../server/domain/reduce.ts';
import { initialState } from '../server/domain/state.ts';
import { loadScenario, playNight } from '../server/testing/index.ts';
import { fmt, machine, median, printTable, writeResults } from './stats.ts';

export async function runVirtualBench(options: { repeats: number; out: string }): Promise<void> {
  const scenario = await loadScenario();
  const played: number[] = [];
  const folded: number[] = [];
  let events = 0;
  for (let i = 0; i <= options.repeats; i++) {
    const t0 = performance.now();
    const run = await playNight({ scenario });
    const t1 = performance.now();
    foldEvents(initialState(scenario.initial.alerts), scenario.events);
    const t2 = performance.now();
    events = run.events.length;
    if (i === 0) continue; // warm-up
    played.push(t1 - t0);
    folded.push(t2 - t1);
  }
  const p = median(played);
  const f = median(folded);
  printTable(`virtual time: the seed night (${events} events, ${(scenario.durationMs / 3_600_000).toFixed(1)} h) played to its end, median of ${options.repeats}`, [
    { figure: 'wall time for the whole night', value: fmt.ms(p), baseline: fmt.ms(f), ratio: fmt.ratio(p / f), goal: `< 1000 ms (${p < 1000 ? 'met' : 'MISSED'})` },
  ]);
  writeResults(options.out, { machine: machine(), events, durationMs: scenario.durationMs, playedMs: played, foldedMs: folded, medianPlayedMs: p });
}
