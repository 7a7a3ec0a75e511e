/**
 * `npm run bench [-- suite] [options]`: runs a benchmark suite, prints a table and writes JSON
 * under bench/results/. Figures are compared with a baseline measured in the same run, never
 * with fixed numbers: these machines are shared and noisy.
 */
import { Command, InvalidArgumentError } from 'commander';
import { runAbuseBench } from './abuse.ts';
import { runDrillBench } from './drill.ts';
import { runFanoutBench } from './fanout.ts';
import { runFanoutNodesBench } from './fanout-nodes.ts';
import { runReplayBench } from './replay.ts';
import { runVirtualBench } from './virtual.ts';

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
};

/** `1000` or `1000,5000`: one run per count. */
const counts = (value: string): number[] => value.split(',').map((part) => positive(part.trim()));

const program = new Command()
  .name('npm run bench --')
  .description('benchmarks of the simulator, each beside a baseline measured in the same run')
  .argument('[suite]', 'which suite: replay, fanout, abuse, drill, virtual', 'replay')
  .option('--events <n>', 'events in the generated scenario', positive, 100_000)
  .option('--seed <n>', 'seed of the generated scenario', positive, 1)
  .option('--repeats <n>', 'measured repeats (after one warm-up)', positive, 5)
  .option('--clients <n[,n…]>', 'fanout: viewers per run, or a list of counts; drill: trainees', counts, [1_000])
  .option('--window <seconds>', 'fanout: wall seconds of the 60x run (its densest stretch of the night)', positive, 60)
  .option('--load-processes <n>', 'fanout: processes the viewers are spread over (with --nodes: per node)', positive, 1)
  .option('--pairs <n>', 'fanout: simulator/baseline pairs per run, measured in alternating order; the goals are judged on their median', positive, 3)
  .option('--nodes <n[,n…]>', 'fanout: run as that many `serve --redis-url` nodes sharing a Redis, one run per count; --clients is then viewers per node', counts)
  .option('--out <file>', 'where to write the JSON results')
  .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().split('\n')[0]} (see --help)\n`) })
  .action(async (suite: string, options: { events: number; seed: number; repeats: number; clients: number[]; window: number; loadProcesses: number; pairs: number; nodes?: number[]; out?: string }) => {
    switch (suite) {
      case 'replay':
        await runReplayBench({ ...options, out: options.out ?? 'bench/results/replay.json' });
        break;
      case 'fanout':
        if (options.nodes) {
          if (options.clients.length > 1) program.error('error: with --nodes, --clients is one count (viewers per node)');
          if (program.getOptionValueSource('pairs') === 'cli') program.error('error: --pairs is for the one-process fan-out; with --nodes each node count runs once');
          await runFanoutNodesBench({ nodes: options.nodes, clients: options.clients[0] ?? 1_000, loadProcesses: options.loadProcesses, out: options.out ?? 'bench/results/fanout-nodes.json' });
          break;
        }
        await runFanoutBench({ clients: options.clients, window: options.window, loadProcesses: options.loadProcesses, pairs: options.pairs, out: options.out ?? 'bench/results/fanout.json' });
        break;
      case 'drill':
        await runDrillBench({ clients: options.clients[0] ?? 1_000, spreadMs: 3_000, out: options.out ?? 'bench/results/drill.json' });
        break;
      case 'abuse':
        await runAbuseBench({ out: options.out ?? 'bench/results/abuse.json' });
        break;
      case 'virtual':
        await runVirtualBench({ repeats: options.repeats, out: options.out ?? 'bench/results/virtual.json' });
        break;
      default:
        program.error(`error: unknown suite '${suite}'; expected: replay, fanout, abuse, drill, virtual`);
    }
  });

await program.parseAsync(process.argv);
