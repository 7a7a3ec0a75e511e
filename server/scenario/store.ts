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
import { secret, sameSecret } from '../sessions/participants.ts';
import type { DrillStore } from '../sessions/drill-store.ts';
import { loadScenarioFile } from './load.ts';
import type { ParsePool } from './parse-pool.ts';
import { formatProblem, type Problem } from './problems.ts';

export interface StoredScenario {
  readonly scenario: Scenario;
  readonly timeline: Timeline;
  readonly origin: 'file' | 'upload';
  /** For uploads: who sent it, what it costs to keep, and the secret that deletes it. */
  readonly upload?: { readonly address: string; readonly bytes: number; readonly deleteToken: string };
}

export interface UploadLimits {
  /** Uploaded scenarios the server keeps at most. */
  readonly maxScenarios: number;
  /** Uploaded scenarios one address keeps at most. */
  readonly maxPerAddress: number;
  /** JSON bytes all uploaded scenarios together may hold. */
  readonly maxBytesHeld: number;
}

/**
 * 200 uploads, 20 from any one address, 64 MB of scenarios in all: about 70 nights the size of
 * the seed, or five at the upload budget's maximum, and a few hundred MB of heap at worst.
 */
export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxScenarios: 200, maxPerAddress: 20, maxBytesHeld: 64 * 1024 * 1024 };
/** A full store frees up when someone deletes an upload: a minute is a fair time to wait. */
const STORE_FULL_RETRY_S = 60;

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export class ScenarioStore {
  private readonly byId = new Map<string, StoredScenario>();
  private bytesHeld = 0;

  /** Where uploads are kept across restarts (the server's database); none: memory only. */
  private keeper: Pick<DrillStore, 'saveScenario' | 'deleteScenario'> | undefined;

  constructor(private readonly uploadLimits: UploadLimits = DEFAULT_UPLOAD_LIMITS) {}

  /**
   * Reads back the uploads the store kept (through the parse pool, as when they came) and keeps
   * every later upload and deletion there. One that no longer loads is reported and skipped.
   */
  async restoreUploads(store: DrillStore, pool: ParsePool, warn: (message: string) => void): Promise<void> {
    for (const kept of await store.loadScenarios()) {
      const { result, bytes } = await pool.parse(kept.text, kept.format);
      if (!result.ok || this.byId.has(result.scenario.id)) {
        warn(`uploaded scenario ${kept.id} not restored: ${result.ok ? 'its id is taken' : describeProblems(result.problems)}`);
        continue;
      }
      this.add(result.scenario, 'upload', { address: kept.address, bytes, deleteToken: kept.deleteToken });
      this.bytesHeld += bytes;
    }
    this.keeper = store;
  }

  /** JSON bytes held by uploaded scenarios. */
  get uploadBytes(): number {
    return this.bytesHeld;
  }

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

  /**
   * The checks that cost nothing, made before a body is read or parsed: room left in the store
   * and in this address's share, and (for YAML, whose top-level `id:` a line scan finds) a
   * taken id. Throws the refusal.
   */
  admitUpload(address: string, declaredBytes = 0, text?: string): void {
    const limits = this.uploadLimits;
    const uploads = [...this.byId.values()].filter((s) => s.upload);
    if (uploads.length >= limits.maxScenarios || this.bytesHeld + declaredBytes > limits.maxBytesHeld) {
      throw ApiError.busy('storage_full', 'the room for uploaded scenarios is full; delete one you uploaded, or try later', STORE_FULL_RETRY_S);
    }
    if (uploads.filter((s) => s.upload!.address === address).length >= limits.maxPerAddress) {
      throw ApiError.busy('quota_exceeded', `an address may keep ${limits.maxPerAddress} uploaded scenarios; delete one first`, STORE_FULL_RETRY_S);
    }
    const id = text === undefined ? undefined : /^id:[ \t]*["']?([a-z0-9][a-z0-9-]*)["']?[ \t]*(?:#.*)?$/m.exec(text.slice(0, 64 * 1024))?.[1];
    if (id !== undefined && this.byId.has(id)) throw new ApiError('scenario_exists', `a scenario with the id "${id}" exists already`);
  }

  /** Reads an upload in the parse pool and stores it; returns it with the token that deletes it. */
  async upload(input: { text: string; format: 'yaml' | 'json' }, pool: ParsePool, address: string): Promise<{ scenario: Scenario; deleteToken: string }> {
    this.admitUpload(address, Buffer.byteLength(input.text), input.format === 'yaml' ? input.text : undefined);
    const { result, bytes } = await pool.parse(input.text, input.format);
    if (!result.ok) throw new ApiError('invalid_scenario', describeProblems(result.problems), result.problems.map(toIssue));
    if (this.byId.has(result.scenario.id)) throw new ApiError('scenario_exists', `a scenario with the id "${result.scenario.id}" exists already`);
    this.admitUpload(address, bytes); // others may have filled the room while this one was read
    const deleteToken = secret(24);
    this.add(result.scenario, 'upload', { address, bytes, deleteToken });
    this.bytesHeld += bytes;
    try {
      await this.keeper?.saveScenario({ id: result.scenario.id, format: input.format, text: input.text, address, deleteToken });
    } catch (error) {
      this.byId.delete(result.scenario.id);
      this.bytesHeld -= bytes;
      throw error;
    }
    return { scenario: result.scenario, deleteToken };
  }

  /** Deletes an uploaded scenario for whoever holds its delete token; running sessions keep their copy. */
  async deleteUpload(id: string, token: string | undefined): Promise<void> {
    const stored = this.require(id);
    if (!stored.upload) throw new ApiError('forbidden', 'only uploaded scenarios can be deleted');
    if (!token) throw new ApiError('unauthorized', 'this needs the delete token returned by the upload: Authorization: Bearer <deleteToken>');
    if (!sameSecret(token, stored.upload.deleteToken)) throw new ApiError('forbidden', 'the delete token does not match this scenario');
    this.byId.delete(id);
    this.bytesHeld -= stored.upload.bytes;
    await this.keeper?.deleteScenario(id);
  }

  add(scenario: Scenario, origin: StoredScenario['origin'], upload?: StoredScenario['upload']): void {
    this.byId.set(scenario.id, { scenario, timeline: Timeline.of(scenario), origin, ...(upload ? { upload } : {}) });
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
