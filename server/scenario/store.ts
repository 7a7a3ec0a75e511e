/**
 * The scenarios a server offers: the files it was started with and those uploaded since, each
 * loaded once into an immutable `Scenario` and `Timeline` that every session of it shares.
 */
import { readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { ApiError } from '../contract/errors.ts';
import type { ScenarioListing } from '../contract/scenarios.ts';

export type { ScenarioListing };
import type { Scenario } from '../domain/scenario.ts';
import { Timeline } from '../engine/timeline.ts';
import { loadScenarioFile, loadScenarioObject, parseScenarioText } from './load.ts';
import { formatProblem, type Problem } from './problems.ts';

export interface StoredScenario {
  readonly scenario: Scenario;
  readonly timeline: Timeline;
  readonly origin: 'file' | 'upload';
}


/** Uploads a server keeps at most: scenarios are large; nobody may fill its memory with them. */
export const MAX_UPLOADED_SCENARIOS = 200;

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export class ScenarioStore {
  private readonly byId = new Map<string, StoredScenario>();

  /** Loads every scenario file in the folders; a broken file is reported, not fatal. */
  async loadFolders(folders: readonly string[], warn: (message: string) => void): Promise<void> {
    for (const folder of folders) {
      let names: string[];
      try {
        names = (await readdir(folder)).sort();
      } catch (error) {
        warn(`scenario folder ${folder} cannot be read: ${(error as Error).message}`);
        continue;
      }
      for (const name of names) {
        if (!SCENARIO_EXTENSIONS.has(extname(name).toLowerCase()) || name === 'schema.json') continue;
        const result = await loadScenarioFile(join(folder, name));
        if (!result.ok) {
          warn(`scenario ${join(folder, name)} skipped: ${result.problems.slice(0, 3).map(formatProblem).join('; ')}`);
          continue;
        }
        if (this.byId.has(result.scenario.id)) {
          warn(`scenario ${join(folder, name)} skipped: the id "${result.scenario.id}" is already loaded`);
          continue;
        }
        this.add(result.scenario, 'file');
      }
    }
  }

  /** Parses and stores an uploaded scenario (YAML or JSON text, or an object). */
  upload(input: { text: string; format: 'yaml' | 'json' } | { object: unknown }): Scenario {
    const result =
      'text' in input
        ? parseScenarioText(input.text, { fileName: 'upload', format: input.format })
        : loadScenarioObject(input.object, 'upload');
    if (!result.ok) throw new ApiError('invalid_scenario', describeProblems(result.problems), result.problems.map(toIssue));
    if (this.byId.has(result.scenario.id)) throw new ApiError('scenario_exists', `a scenario with the id "${result.scenario.id}" exists already`);
    if ([...this.byId.values()].filter((s) => s.origin === 'upload').length >= MAX_UPLOADED_SCENARIOS) {
      throw new ApiError('forbidden', `this server holds ${MAX_UPLOADED_SCENARIOS} uploaded scenarios already`);
    }
    this.add(result.scenario, 'upload');
    return result.scenario;
  }

  add(scenario: Scenario, origin: StoredScenario['origin']): void {
    this.byId.set(scenario.id, { scenario, timeline: Timeline.of(scenario), origin });
  }

  get(id: string): StoredScenario | undefined {
    return this.byId.get(id);
  }

  require(id: string): StoredScenario {
    const stored = this.byId.get(id);
    if (!stored) throw new ApiError('scenario_not_found', `no scenario has the id "${id}"`);
    return stored;
  }

  list(): ScenarioListing[] {
    return [...this.byId.values()].map(({ scenario: s }) => ({
      id: s.id,
      title: s.title,
      description: s.description,
      start: s.start,
      timeZone: s.timeZone,
      durationMs: s.durationMs,
      eventCount: s.events.length,
      sourceCount: s.sources.length,
    }));
  }
}

function toIssue(p: Problem) {
  return { path: p.path, message: p.message, ...(p.line === undefined ? {} : { line: p.line, column: p.column ?? 1 }) };
}

function describeProblems(problems: readonly Problem[]): string {
  const first = problems[0];
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return first ? `the scenario has problems: ${first.path ? `${first.path}: ` : ''}${first.message}${more}` : 'the scenario has problems';
}
