import type { Command } from 'commander';
import { formatOffset } from '../../domain/time.ts';
import { formatProblem } from '../../scenario/problems.ts';
import { loadScenarioFile } from '../../scenario/load.ts';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check scenario files; print every problem as file:line:column: path: reason')
    .argument('<file...>', 'scenario files (YAML or JSON)')
    .action(async (files: string[]) => {
      let failed = false;
      for (const file of files) {
        const result = await loadScenarioFile(file);
        if (result.ok) {
          const s = result.scenario;
          process.stdout.write(`ok: ${file} (${s.events.length} events, ${formatOffset(s.durationMs)})\n`);
        } else {
          failed = true;
          for (const problem of result.problems) process.stderr.write(`${formatProblem(problem)}\n`);
        }
      }
      if (failed) process.exitCode = 1;
    });
}
