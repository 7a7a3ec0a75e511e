import { InvalidArgumentError, Option, type Command } from 'commander';
import { VirtualTimeScheduler, asyncScheduler, type SchedulerLike } from 'rxjs';
import { MAX_SPEED, MIN_SPEED } from '../../domain/control.ts';
import { canonicalRegionCode, type Region } from '../../domain/regions/index.ts';
import { formatOffset, MOMENT_FORMS_HINT, resolveMoment } from '../../domain/time.ts';
import { ReplayEngine } from '../../engine/replay.ts';
import { Timeline } from '../../engine/timeline.ts';
import { formatProblem } from '../../scenario/problems.ts';
import { loadScenarioFile } from '../../scenario/load.ts';
import { formatOpeningAlert, formatPretty } from '../pretty.ts';
import { eventRegion } from '../../domain/events.ts';

interface RunOptions {
  speed: number;
  from?: string;
  to?: string;
  virtual?: boolean;
  format: 'pretty' | 'ndjson';
  region?: string[];
}

function parseSpeed(value: string): number {
  const speed = Number(value);
  if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
    throw new InvalidArgumentError(`expected a number from ${MIN_SPEED} to ${MAX_SPEED}.`);
  }
  return speed;
}

function parseRegion(value: string, previous: string[] | undefined): string[] {
  const code = canonicalRegionCode(value);
  if (!code) throw new InvalidArgumentError(`unknown region "${value}"; expected an ISO 3166-2 code such as UA-46 or PL-06.`);
  return [...(previous ?? []), code];
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('replay a scenario, printing each event as it fires')
    .argument('<scenario>', 'scenario file (YAML or JSON)')
    .option('-s, --speed <x>', `replay speed, ${MIN_SPEED} to ${MAX_SPEED} (60 = a minute of the night per second)`, parseSpeed, 1)
    .option('--from <time>', 'start at this moment: local time "05:20" in the scenario\'s zone, or offset "+01:30"')
    .option('--to <time>', 'stop at this moment (same forms as --from)')
    .option('--virtual', 'do not wait: run in virtual time as fast as the machine allows')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['pretty', 'ndjson']).default('pretty'))
    .option('-r, --region <code...>', 'only events in these regions (ISO 3166-2, e.g. UA-46 PL-06)', parseRegion)
    .addHelpText(
      'after',
      '\nIn ndjson each line is one event in the wire shape (see README), with `seq` counting every event fired.\nExamples:\n  air-raid-sim run scenarios/demo.yaml --speed 60\n  air-raid-sim run scenarios/demo.yaml --virtual --format ndjson --region UA-32',
    )
    .action(async (file: string, options: RunOptions, command: Command) => {
      const loaded = await loadScenarioFile(file);
      if (!loaded.ok) {
        for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
        process.exitCode = 1;
        return;
      }
      const scenario = loaded.scenario;
      const moment = (flag: string, text: string | undefined, fallback: number): number => {
        if (text === undefined) return fallback;
        const ms = resolveMoment(text, scenario.startMs, scenario.timeZone);
        if (ms === undefined) command.error(`error: option '--${flag}' ${JSON.stringify(text)}: ${MOMENT_FORMS_HINT}`);
        if (ms < 0 || ms > scenario.durationMs) {
          command.error(`error: option '--${flag}' ${text} is outside the scenario (00:00:00 to ${formatOffset(scenario.durationMs)} from its start)`);
        }
        return ms;
      };
      const fromMs = moment('from', options.from, 0);
      const toMs = moment('to', options.to, scenario.durationMs);
      if (toMs < fromMs) command.error(`error: --to (${options.to}) comes before --from (${options.from})`);

      const regions = options.region ? new Set<Region['code']>(options.region) : undefined;
      const scheduler: SchedulerLike = options.virtual ? new VirtualTimeScheduler() : asyncScheduler;
      const timeline = Timeline.of({ ...scenario, events: scenario.events.filter((e) => e.atMs <= toMs), durationMs: toMs });
      const engine = new ReplayEngine(timeline, { scheduler, positionMs: fromMs, speed: options.speed, clockIntervalMs: 0 });
      const color = options.format === 'pretty' && process.stdout.isTTY === true && !process.env.NO_COLOR;
      let seq = 0;
      const done = new Promise<void>((resolve) => {
        engine.output$.subscribe((output) => {
          if (output.kind === 'events') {
            for (const event of output.events) {
              seq += 1;
              const region = eventRegion(event);
              if (regions && (region === undefined || !regions.has(region))) continue;
              process.stdout.write(
                options.format === 'ndjson'
                  ? `${JSON.stringify({ seq, ...event })}\n`
                  : `${formatPretty(event, { timeZone: scenario.timeZone, startMs: scenario.startMs, color })}\n`,
              );
            }
          } else if (output.kind === 'clock' && output.reason === 'end') {
            engine.dispose();
            resolve();
          }
        });
      });
      // Alerts already on when the night begins are state at position 0, not events: the pretty
      // view lists them first; ndjson stays a stream of events (`compile` gives the state).
      for (const alert of options.format === 'pretty' && fromMs === 0 ? scenario.initial.alerts : []) {
        if (regions && !regions.has(alert.region)) continue;
        process.stdout.write(`${formatOpeningAlert(alert, { timeZone: scenario.timeZone, startMs: scenario.startMs, color })}\n`);
      }
      engine.apply({ action: 'play' });
      if (scheduler instanceof VirtualTimeScheduler) scheduler.flush();
      await done;
    });
}
