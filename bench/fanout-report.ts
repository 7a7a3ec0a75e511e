/**
 * The fan-out benchmark's table and goals. A run is one or more pairs, each the simulator and the
 * bare server measured back to back. On a shared machine one pair's CPU ratio moves by ±10 %
 * from run to run (three runs in a row on the 2-core development machine, 3600x, 1,000 viewers:
 * 0.88x, 1.01x, 1.10x), as much as the 1.1x goal itself; so the goals are judged on the median
 * of the pairs' ratios, and each pair's ratio is printed beside it. The other figures are those
 * of the median pair (by CPU ratio); losses are counted over every pair.
 */
import type { NightFacts, Pair } from './fanout.ts';
import type { Plan, Side } from './fanout-measure.ts';
import { fmt, median, type Row } from './stats.ts';

export const GOALS = { ratioAtMost: 1.1, p99AtMostMs: { 60: 60, 3600: 100 } as Record<number, number>, forClientsUpTo: 1000 };

const kb = (n: number) => `${n.toFixed(1)} KB`;
export const us = (n: number) => `${n.toFixed(1)} µs`;
export const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
/** simulator / baseline, or n/a when the baseline is nothing to divide by. */
export const ratio = (sim: number, base: number) => (base > 0 && Number.isFinite(sim / base) ? fmt.ratio(sim / base) : 'n/a');

/** One figure's simulator/baseline ratio in every pair, and their median. */
export interface PairedRatio {
  readonly median: number;
  readonly each: readonly number[];
}

function paired(pairs: readonly Pair[], figure: (s: Side) => number): PairedRatio {
  const each = pairs.map((p) => figure(p.simulator) / figure(p.baseline));
  return { median: median(each), each };
}

export const cpuRatios = (pairs: readonly Pair[]) => paired(pairs, (s) => s.cpuUsPerMessage);
export const p99Ratios = (pairs: readonly Pair[]) => paired(pairs, (s) => s.lagMs.p99);

/** The pair whose CPU ratio is the median (the lower one of an even count): its figures stand for the run. */
export function middlePair(pairs: readonly Pair[]): Pair {
  const byRatio = [...pairs].sort((a, b) => a.simulator.cpuUsPerMessage / a.baseline.cpuUsPerMessage - b.simulator.cpuUsPerMessage / b.baseline.cpuUsPerMessage);
  return byRatio[Math.floor((byRatio.length - 1) / 2)]!;
}

/** `1.01x`, or with several pairs `1.01x (median of 3)`. */
function shown(r: PairedRatio): string {
  return r.each.length > 1 ? `${fmt.ratio(r.median)} (median of ${r.each.length})` : fmt.ratio(r.median);
}

function losses(pairs: readonly Pair[], side: (p: Pair) => Side): string {
  const sides = pairs.map(side);
  const sum = (f: (s: Side) => number) => sides.reduce((total, s) => total + f(s), 0);
  const reasons = [...new Set(sides.flatMap((s) => Object.keys(s.disconnectReasons)))];
  const dropped = sum((s) => s.disconnects);
  return `${sum((s) => s.lost)} / ${sum((s) => s.misordered)}${dropped ? ` (${dropped} dropped: ${reasons.join(', ')})` : ''}`;
}

export function rows(clients: number, plan: Plan, pairs: readonly Pair[]): Row[] {
  const { simulator: sim, baseline: base } = middlePair(pairs);
  const cpu = cpuRatios(pairs);
  const p99 = p99Ratios(pairs);
  const absolute = clients <= GOALS.forClientsUpTo ? GOALS.p99AtMostMs[plan.speed] : undefined;
  const lossFree = pairs.every((p) => p.simulator.lost === 0 && p.simulator.misordered === 0);
  const both = (f: (s: Side) => string) => ({ value: f(sim), baseline: f(base) });
  const several = pairs.length > 1;
  return [
    { figure: 'viewers connected (ramp-up)', ...both((s) => `${clients} in ${(s.connectMs / 1000).toFixed(1)} s`), ratio: '', goal: '' },
    { figure: 'messages / items per viewer', ...both((s) => `${s.messagesPerClient.toFixed(1)} / ${s.itemsPerClient.toFixed(1)}`), ratio: '', goal: '' },
    { figure: `items lost / misordered${several ? ', all pairs' : ''}`, value: losses(pairs, (p) => p.simulator), baseline: losses(pairs, (p) => p.baseline), ratio: '', goal: `0 (${verdict(lossFree)})` },
    { figure: 'lag p50', ...both((s) => fmt.ms(s.lagMs.p50)), ratio: ratio(sim.lagMs.p50, base.lagMs.p50), goal: '' },
    {
      figure: 'lag p99',
      ...both((s) => fmt.ms(s.lagMs.p99)),
      ratio: shown(p99),
      goal: `<= ${GOALS.ratioAtMost}x (${verdict(p99.median <= GOALS.ratioAtMost)})${absolute ? `; <= ${absolute} ms (${verdict(sim.lagMs.p99 <= absolute)})` : ''}`,
    },
    { figure: 'lag max', ...both((s) => fmt.ms(s.lagMs.max)), ratio: ratio(sim.lagMs.max, base.lagMs.max), goal: '' },
    { figure: 'server CPU', ...both((s) => `${s.cpuSeconds.toFixed(2)} s (${((100 * s.cpuSeconds) / s.wallSeconds).toFixed(0)}% of a core)`), ratio: ratio(sim.cpuSeconds, base.cpuSeconds), goal: '' },
    { figure: 'server GC during the run', ...both((s) => `${(s.gcMs / 1000).toFixed(2)} s`), ratio: ratio(sim.gcMs, base.gcMs), goal: '' },
    { figure: 'server CPU per delivered message', ...both((s) => us(s.cpuUsPerMessage)), ratio: shown(cpu), goal: `<= ${GOALS.ratioAtMost}x (${verdict(cpu.median <= GOALS.ratioAtMost)})` },
    ...(several
      ? [
          {
            figure: 'CPU per message, each pair',
            value: pairs.map((p) => us(p.simulator.cpuUsPerMessage)).join(', '),
            baseline: pairs.map((p) => us(p.baseline.cpuUsPerMessage)).join(', '),
            ratio: cpu.each.map(fmt.ratio).join(', '),
            goal: '',
          },
        ]
      : []),
    { figure: 'server write calls per delivered message', ...both((s) => s.writeCallsPerMessage.toFixed(2)), ratio: ratio(sim.writeCallsPerMessage, base.writeCallsPerMessage), goal: '' },
    { figure: 'server RSS per viewer, after GC', ...both((s) => kb(s.rssPerClientKb)), ratio: ratio(sim.rssPerClientKb, base.rssPerClientKb), goal: '' },
    { figure: 'server JS heap per viewer, after GC', ...both((s) => kb(s.heapPerClientKb)), ratio: ratio(sim.heapPerClientKb, base.heapPerClientKb), goal: '' },
    {
      figure: `load generator CPU (${sim.loadProcesses} process${sim.loadProcesses > 1 ? 'es' : ''})`,
      ...both((s) => `${(100 * s.loadGeneratorBusy).toFixed(0)}% of a core`),
      ratio: '',
      // One process cannot use more than a core, and its load comes in bursts: well before that, lags are the clients' queue.
      goal: Math.max(sim.loadGeneratorBusy, base.loadGeneratorBusy) >= 0.75 * sim.loadProcesses ? 'near saturation: lags are largely the clients\' queue' : '',
    },
  ];
}

/** Local time of day at `ms` into a night that starts at `start` (ISO, with its offset). */
function localTime(start: string, ms: number): string {
  const [, h, m] = /T(\d\d):(\d\d)/.exec(start) ?? [, '0', '0'];
  const minutes = (Number(h) * 60 + Number(m) + Math.floor(ms / 60_000)) % 1440;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function title(clients: number, plan: Plan, night: NightFacts, pairs: number): string {
  const span = `${localTime(night.start, plan.fromMs)}-${localTime(night.start, plan.toMs)} local${plan.speed === 60 ? ' (densest stretch)' : ' (rest of the night)'}`;
  const measured = pairs > 1 ? `; ${pairs} pairs, figures of the median pair` : '';
  return `fan-out: ${clients} viewers, one session, ${plan.speed}x, ${span}: ${plan.events} events in ${(plan.wallMs / 1000).toFixed(0)} s, after ${(plan.warmupMs / 1000).toFixed(0)} s of warm-up${measured}`;
}

/** One run's JSON: the median pair as `simulator`/`baseline`, every pair, the ratios. */
export function result(clients: number, plan: Plan, pairs: readonly Pair[]) {
  const { simulator, baseline } = middlePair(pairs);
  const cpu = cpuRatios(pairs);
  const p99 = p99Ratios(pairs);
  return {
    clients,
    plan,
    simulator,
    baseline,
    ratios: { lagP99: p99.median, cpuPerMessage: cpu.median, lagP99EachPair: p99.each, cpuPerMessageEachPair: cpu.each },
    pairs,
  };
}
