import { InvalidArgumentError, Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { parseOffset } from '../../domain/time.ts';
import { generateScenario } from '../../scenario/generate.ts';

function wholeNumber(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) throw new InvalidArgumentError(`expected a whole number from 0 to ${max}.`);
    return n;
  };
}

function duration(value: string): number {
  const ms = parseOffset(value);
  if (ms === undefined || ms <= 0) throw new InvalidArgumentError('expected a length such as "10:00" (hours:minutes).');
  return ms;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write a valid synthetic scenario of any size (for benchmarks and stress tests)')
    .requiredOption('-n, --events <n>', 'number of events', wholeNumber(10_000_000))
    .option('--seed <s>', 'seed: the same seed gives the same scenario', wholeNumber(2 ** 32 - 1), 1)
    .option('--duration <hh:mm>', 'length of the night', duration)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['yaml', 'json']).default('json'))
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(async (options: { events: number; seed: number; duration?: number; format: 'yaml' | 'json'; out?: string }) => {
      const scenario = generateScenario({ events: options.events, seed: options.seed, ...(options.duration ? { durationMs: options.duration } : {}) });
      const text = options.format === 'yaml' ? stringify(scenario) : `${JSON.stringify(scenario)}\n`;
      if (options.out) await writeFile(options.out, text);
      else process.stdout.write(text);
    });
}
