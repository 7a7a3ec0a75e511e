/**
 * `npm run bench [-- suite] [options]`: runs a benchmark suite, prints a table and writes JSON
 * under bench/results/. Figures are compared with a baseline measured in the same run, never
 * with fixed numbers: these machines are shared and noisy.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runReplayBench } from './replay.ts';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
};

const program = new Command()
  .name('npm run bench --')
  .description('benchmarks of the simulator, each beside a baseline measured in the same run')
  .argument('[suite]', 'which suite: replay', 'replay')
  .option('--events <n>', 'events in the generated scenario', positive, 100_000)
  .option('--seed <n>', 'seed of the generated scenario', positive, 1)
  .option('--repeats <n>', 'measured repeats (after one warm-up)', positive, 5)
  .option('--out <file>', 'where to write the JSON results')
  .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().split('\n')[0]} (see --help)\n`) })
  .action(async (suite: string, options: { events: number; seed: number; repeats: number; out?: string }) => {
    switch (suite) {
      case 'replay':
        await runReplayBench({ ...options, out: options.out ?? 'bench/results/replay.json' });
        break;
      default:
        program.error(`error: unknown suite '${suite}'; expected: replay`);
    }
  });

await program.parseAsync(process.argv);
