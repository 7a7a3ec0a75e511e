/**
 * `air-raid-sim`: the command line. Each command lives in its own module; this file only
 * wires them into commander, which gives every command its `--help` and turns unknown flags,
 * missing arguments and bad values into a one-line error and exit code 1.
 */
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerCompile } from './commands/compile.ts';
import { registerGenerate } from './commands/generate.ts';
import { registerRun } from './commands/run.ts';
import { registerSchema } from './commands/schema.ts';
import { registerServe } from './commands/serve.ts';
import { registerValidate } from './commands/validate.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// A reader that stops early (`| head`) is not an error: stop quietly, as other tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const program = new Command()
  .name('air-raid-sim')
  .description('Replays a night of aerial attack, region by region, as it happened or as a drill.')
  .version(pkg.version)
  // One line per error, with the way to learn more on the same line.
  .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().split('\n')[0]} (see --help)\n`) });

registerServe(program);
registerValidate(program);
registerRun(program);
registerCompile(program);
registerSchema(program);
registerGenerate(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Anything that reaches here is a defect, but a user still gets one line, not a stack.
  process.stderr.write(`air-raid-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
