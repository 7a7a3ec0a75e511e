/**
 * The replay core's figures (DESIGN.md §8), each beside a baseline measured in the same run:
 * - virtual replay: engine events per second with no clock, against a plain for-loop fold;
 * - seek: time to the state at random positions of a large night, against a full fold;
 * - timer lateness at 1x and 3600x in real time, against bare setTimeout.
 */
import { VirtualAction, VirtualTimeScheduler } from 'rxjs';
import type { ScenarioEvent } from '../server/domain/events.ts';
import { reduce } from '../server/domain/reduce.ts';
import type { Scenario } from '../server/domain/scenario.ts';
import { initialState, type NightState } from '../server/domain/state.ts';
import { ReplayEngine } from '../server/engine/replay.ts';
import { Timeline } from '../server/engine/timeline.ts';
import { generateScenario, seededRandom } from '../server/scenario/generate.ts';
import { loadScenarioObject } from '../server/scenario/load.ts';
import { formatOffsetMs } from '../server/domain/time.ts';
import { fmt, machine, median, percentile, printTable, writeResults, type Row } from './stats.ts';

export interface ReplayBenchOptions {
  readonly events: number;
  readonly seed: number;
  readonly repeats: number;
  readonly out: string;
}

function load(events: number, seed: number, durationMs?: number): Scenario {
  const result = loadScenarioObject(generateScenario({ events, seed, ...(durationMs ? { durationMs } : {}) }));
  if (!result.ok) throw new Error(`generated scenario is invalid: ${result.problems[0]?.message}`);
  return result.scenario;
}

/** `count` statements, one every `everyMs` of scenario time from `everyMs` on. */
function regular(count: number, everyMs: number): Scenario {
  const result = loadScenarioObject({
    id: 'timer-bench',
    title: { en: 'Timer benchmark' },
    description: { en: 'Evenly spaced events for measuring timer lateness.' },
    start: '2025-01-01T00:00:00+02:00',
    timeZone: 'Europe/Kyiv',
    events: Array.from({ length: count }, (_, i) => ({ at: formatOffsetMs((i + 1) * everyMs), type: 'statement', org: 'bench', text: { en: 'tick' } })),
  });
  if (!result.ok) throw new Error(`timer scenario is invalid: ${result.problems[0]?.message}`);
  return result.scenario;
}

/** Keeps a result alive so the JIT cannot drop the work that made it. */
let sink: unknown;

function plainFold(events: readonly ScenarioEvent[]): NightState {
  let state = initialState();
  for (let i = 0; i < events.length; i++) state = reduce(state, events[i]!);
  return state;
}

function virtualReplay(timeline: Timeline, speed: number): NightState {
  const scheduler = new VirtualTimeScheduler(VirtualAction, Infinity);
  const engine = new ReplayEngine(timeline, { scheduler, speed, clockIntervalMs: 0 });
  engine.output$.subscribe(() => {});
  engine.apply({ action: 'play' });
  scheduler.flush();
  return engine.state;
}

function timeIt(work: () => unknown): number {
  const t0 = performance.now();
  sink = work();
  return performance.now() - t0;
}

const nowEpoch = () => performance.timeOrigin + performance.now();

/** Lateness of each event against its due time, played by the engine on real timers. */
function engineLateness(scenario: Scenario, speed: number): Promise<number[]> {
  const timeline = new Timeline(scenario.events, scenario.durationMs);
  const engine = new ReplayEngine(timeline, { speed, clockIntervalMs: 0 });
  const lateness: number[] = [];
  return new Promise((resolve) => {
    let anchor = 0;
    engine.output$.subscribe((o) => {
      if (o.kind === 'events') {
        const now = nowEpoch();
        for (const e of o.events) lateness.push(now - (anchor + e.atMs / speed));
      } else if (o.kind === 'clock' && o.reason === 'end') {
        engine.dispose();
        resolve(lateness);
      }
    });
    anchor = Date.now();
    engine.apply({ action: 'play' });
  });
}

/** The same due times served by one bare setTimeout per event. */
function setTimeoutLateness(scenario: Scenario, speed: number): Promise<number[]> {
  const lateness: number[] = [];
  const anchor = Date.now();
  return new Promise((resolve) => {
    for (const e of scenario.events) {
      const due = anchor + e.atMs / speed;
      setTimeout(() => {
        lateness.push(nowEpoch() - due);
        if (lateness.length === scenario.events.length) resolve(lateness);
      }, due - Date.now());
    }
  });
}

export async function runReplayBench(options: ReplayBenchOptions): Promise<void> {
  const { events, seed, repeats } = options;
  process.stdout.write(`replay benchmark: ${events} generated events (seed ${seed}), ${repeats} repeats\n`);
  const scenario = load(events, seed);
  let timeline!: Timeline;
  const buildMs = timeIt(() => (timeline = new Timeline(scenario.events, scenario.durationMs)));

  // Virtual replay against the plain fold, interleaved so that machine noise hits both alike.
  const foldMs: number[] = [];
  const engine1xMs: number[] = [];
  const engine3600xMs: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const f = timeIt(() => plainFold(scenario.events));
    const e1 = timeIt(() => virtualReplay(timeline, 1));
    const e3600 = timeIt(() => virtualReplay(timeline, 3600));
    if (r === 0) continue; // warm-up
    foldMs.push(f);
    engine1xMs.push(e1);
    engine3600xMs.push(e3600);
  }
  const rate = (ms: number) => (events / ms) * 1000;
  const foldRate = rate(median(foldMs));
  const engine1xRate = rate(median(engine1xMs));
  const engine3600xRate = rate(median(engine3600xMs));

  // Seek: through the engine (checkpoint plus a short fold), and a full fold as the baseline.
  const random = seededRandom(seed + 1);
  const positions = Array.from({ length: 1000 }, () => Math.floor(random() * scenario.durationMs));
  const seekEngine = new ReplayEngine(timeline, { scheduler: new VirtualTimeScheduler(), clockIntervalMs: 0 });
  const seekMs = positions.map((positionMs) => timeIt(() => seekEngine.apply({ action: 'seek', positionMs })));
  const fullFoldMs = positions.slice(0, 50).map((positionMs) => timeIt(() => plainFold(scenario.events.slice(0, timeline.countUpTo(positionMs)))));

  // Timer lateness in real time: a 2-second run at each speed. At 1x events come every 20 ms,
  // more than a frame apart, so this measures the timers; at 3600x one falls due every wall
  // millisecond, so it measures frame batching (up to one frame of waiting, by design).
  const at1x = regular(100, 20);
  const at3600x = regular(2_000, 3_600);
  const late1x = await engineLateness(at1x, 1);
  const base1x = await setTimeoutLateness(at1x, 1);
  const late3600x = await engineLateness(at3600x, 3600);
  const base3600x = await setTimeoutLateness(at3600x, 3600);

  const rows: Row[] = [
    { figure: 'virtual replay, 1x', value: fmt.rate(engine1xRate), baseline: `${fmt.rate(foldRate)} (plain fold)`, ratio: fmt.ratio(foldRate / engine1xRate), goal: '<= 3x slower' },
    { figure: 'virtual replay, 3600x', value: fmt.rate(engine3600xRate), baseline: `${fmt.rate(foldRate)} (plain fold)`, ratio: fmt.ratio(foldRate / engine3600xRate), goal: '<= 3x slower' },
    { figure: 'seek p50', value: fmt.ms(percentile(seekMs, 50)), baseline: `${fmt.ms(percentile(fullFoldMs, 50))} (full fold)`, ratio: fmt.ratio(percentile(fullFoldMs, 50) / percentile(seekMs, 50)) + ' faster', goal: '' },
    { figure: 'seek p99', value: fmt.ms(percentile(seekMs, 99)), baseline: `${fmt.ms(percentile(fullFoldMs, 99))} (full fold)`, ratio: fmt.ratio(percentile(fullFoldMs, 99) / percentile(seekMs, 99)) + ' faster', goal: '<= 1 ms' },
    { figure: 'lateness 1x p50', value: fmt.ms(percentile(late1x, 50)), baseline: `${fmt.ms(percentile(base1x, 50))} (setTimeout)`, ratio: '', goal: '' },
    { figure: 'lateness 1x p99', value: fmt.ms(percentile(late1x, 99)), baseline: `${fmt.ms(percentile(base1x, 99))} (setTimeout)`, ratio: '', goal: '<= 2 ms' },
    { figure: 'lateness 3600x p50', value: fmt.ms(percentile(late3600x, 50)), baseline: `${fmt.ms(percentile(base3600x, 50))} (setTimeout)`, ratio: '', goal: '' },
    { figure: 'lateness 3600x p99', value: fmt.ms(percentile(late3600x, 99)), baseline: `${fmt.ms(percentile(base3600x, 99))} (setTimeout)`, ratio: '', goal: 'frame batching: <= 16 ms + timer' },
  ];
  printTable(`replay core, ${events} events (timeline with checkpoints built in ${buildMs.toFixed(0)} ms)`, rows);
  void sink;

  writeResults(options.out, {
    suite: 'replay',
    date: new Date().toISOString(),
    machine: machine(),
    events,
    seed,
    repeats,
    timelineBuildMs: buildMs,
    virtualReplay: {
      plainFoldEventsPerSecond: foldRate,
      engine1xEventsPerSecond: engine1xRate,
      engine3600xEventsPerSecond: engine3600xRate,
      slowdown1x: foldRate / engine1xRate,
      slowdown3600x: foldRate / engine3600xRate,
      goalSlowdownAtMost: 3,
    },
    seekMs: { p50: percentile(seekMs, 50), p99: percentile(seekMs, 99), max: Math.max(...seekMs), fullFoldP50: percentile(fullFoldMs, 50), fullFoldP99: percentile(fullFoldMs, 99), goalP99AtMost: 1 },
    latenessMs: {
      at1x: { p50: percentile(late1x, 50), p99: percentile(late1x, 99), max: Math.max(...late1x), events: late1x.length },
      setTimeout1x: { p50: percentile(base1x, 50), p99: percentile(base1x, 99), max: Math.max(...base1x) },
      at3600x: { p50: percentile(late3600x, 50), p99: percentile(late3600x, 99), max: Math.max(...late3600x), events: late3600x.length },
      setTimeout3600x: { p50: percentile(base3600x, 50), p99: percentile(base3600x, 99), max: Math.max(...base3600x) },
      goalP99At1xAtMost: 2,
    },
  });
}
