/**
 * Reading a scenario file: YAML or JSON text in, a `Scenario` out, or every problem with its
 * place. It never throws at its caller for anything a file can contain; problems are values.
 *
 * Checks run in layers so that one mistake does not hide the others: the header, then each
 * source and each event on its own, then the rules that need the whole night (times against
 * the start, sources that exist, alerts that end only after they start). This module holds the
 * entry points; the text is read in scenario-text.ts, the order of the checks is in
 * build-scenario.ts and the checks themselves in load-checks.ts.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { FILE_BUDGET, type ScenarioBudget } from './budgets.ts';
import { buildScenario, type LoadResult } from './build-scenario.ts';
import { ProblemList } from './problem-list.ts';
import { readJsonText, readYamlText } from './scenario-text.ts';

export { FILE_BUDGET, UPLOAD_BUDGET, type ScenarioBudget } from './budgets.ts';
export type { LoadResult } from './build-scenario.ts';
export { MAX_PROBLEMS_KEPT } from './problem-list.ts';

/** Files larger than this are refused before parsing: no real night needs more. */
export const MAX_SCENARIO_BYTES = 20 * 1024 * 1024;

/** Reads and loads a scenario file; a missing or unreadable file is a problem, not a throw. */
export async function loadScenarioFile(path: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot be read (${code ?? String(error)})`;
    return { ok: false, problems: [{ file: path, path: '', message }] };
  }
  return parseScenarioText(text, { fileName: path });
}

export interface ParseOptions {
  /** Shown in problems; its extension picks the format when `format` is not given. */
  readonly fileName: string;
  readonly format?: 'yaml' | 'json';
  /** Limits on what the file may make the loader do; files from disk get `FILE_BUDGET`. */
  readonly budget?: ScenarioBudget;
}

export function parseScenarioText(text: string, options: ParseOptions): LoadResult {
  const file = options.fileName;
  const budget = options.budget ?? FILE_BUDGET;
  if (Buffer.byteLength(text) > MAX_SCENARIO_BYTES) {
    return { ok: false, problems: [{ file, path: '', message: `is larger than ${MAX_SCENARIO_BYTES / 1024 / 1024} MB` }] };
  }
  const format = options.format ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'yaml');
  const read = format === 'json' ? readJsonText(text, file) : readYamlText(text, file, budget);
  return read.ok ? buildScenario(read.data, read.problems, budget) : { ok: false, problems: read.problems };
}

/** Loads an already-parsed object (a JSON request body, say); problems carry no line numbers. */
export function loadScenarioObject(data: unknown, fileName = 'scenario', budget: ScenarioBudget = FILE_BUDGET): LoadResult {
  return buildScenario(data, new ProblemList(fileName), budget);
}
