import type { Command } from 'commander';
import { formatProblem } from '../../scenario/problems.ts';
import { loadScenarioFile } from '../../scenario/load.ts';
import { formatSummary, summarize } from '../../scenario/summary.ts';

export function registerCompile(program: Command): void {
  program
    .command('compile')
    .description('print a scenario as the simulator runs it: waves expanded, events timed and sorted (JSON)')
    .argument('<file>', 'scenario file (YAML or JSON)')
    .option('--summary', 'print a summary instead: events per type, alerts per region, totals per threat')
    .action(async (file: string, options: { summary?: boolean }) => {
      const loaded = await loadScenarioFile(file);
      if (!loaded.ok) {
        for (const problem of loaded.problems) process.stderr.write(`${formatProblem(problem)}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(options.summary ? formatSummary(loaded.scenario, summarize(loaded.scenario)) : `${JSON.stringify(loaded.scenario, null, 2)}\n`);
    });
}
