import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { scenarioJsonSchemaText } from '../../scenario/json-schema.ts';

export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of scenario files (the one in scenarios/schema.json)')
    .option('-o, --out <file>', 'write it to a file instead of printing it')
    .action(async (options: { out?: string }) => {
      const text = scenarioJsonSchemaText();
      if (options.out) await writeFile(options.out, text);
      else process.stdout.write(text);
    });
}
