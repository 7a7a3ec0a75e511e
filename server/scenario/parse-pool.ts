/**
 * A small pool of worker threads that read uploaded scenarios off the event loop. Each job gets
 * a wall-clock deadline and each worker a heap limit: a file that takes too long or too much
 * memory kills its worker (a fresh one replaces it) and is refused with a typed error, while
 * every session keeps its timing. When all workers are busy a bounded queue waits; past it,
 * uploads are refused with `server_busy` and `Retry-After`.
 *
 * Numbers: the largest upload the budget allows (4 MB of YAML) parses in about 2 s on one core
 * of a small laptop, in under 200 MB of heap; the limits leave it room, not a hostile file.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { ApiError } from '../contract/errors.ts';
import type { ScenarioEvent } from '../domain/events.ts';
import type { Scenario } from '../domain/scenario.ts';
import { UPLOAD_BUDGET, type LoadResult, type ScenarioBudget } from './load.ts';
import type { Problem } from './problems.ts';

export interface ParseRequest {
  readonly id: number;
  readonly text: string;
  readonly format: 'yaml' | 'json';
}

export interface ParseReply {
  readonly result: LoadResult;
  /** JSON size of the loaded scenario: what it costs to keep. */
  readonly bytes: number;
}

/** Events per JSON chunk a worker sends back: each parses in about 4 ms. */
export const EVENTS_PER_CHUNK = 2000;

/** What a worker posts: the problems, or the scenario without its events and the events as JSON chunks. */
export type WorkerReply =
  | { readonly id: number; readonly problems: readonly Problem[] }
  | { readonly id: number; readonly scenario: Omit<Scenario, 'events'>; readonly eventChunks: readonly string[]; readonly bytes: number };

/** Rebuilds the scenario a chunk at a time, yielding to the event loop between chunks. */
async function assemble(reply: WorkerReply): Promise<ParseReply> {
  if ('problems' in reply) return { result: { ok: false, problems: reply.problems }, bytes: 0 };
  const events: ScenarioEvent[] = [];
  for (const chunk of reply.eventChunks) {
    await yieldToLoop();
    for (const event of JSON.parse(chunk) as ScenarioEvent[]) events.push(event);
  }
  return { result: { ok: true, scenario: { ...reply.scenario, events } }, bytes: reply.bytes };
}

export interface ParsePoolOptions {
  /** Workers at most (each one a thread with its own heap). */
  readonly size: number;
  /** Wall-clock limit of one job. */
  readonly timeoutMs: number;
  /** Old-generation heap of a worker. */
  readonly maxHeapMb: number;
  /** Jobs waiting for a worker at most. */
  readonly maxQueue: number;
  readonly budget: ScenarioBudget;
}

export const DEFAULT_PARSE_POOL: ParsePoolOptions = { size: 1, timeoutMs: 10_000, maxHeapMb: 256, maxQueue: 4, budget: UPLOAD_BUDGET };

interface Job {
  readonly request: ParseRequest;
  resolve(reply: WorkerReply): void;
  reject(error: unknown): void;
}

interface Slot {
  readonly worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
}

const WORKER_URL = new URL('./parse-worker.js', import.meta.url);

export class ParsePool {
  private readonly options: ParsePoolOptions;
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: Partial<ParsePoolOptions> = {}) {
    this.options = { ...DEFAULT_PARSE_POOL, ...options };
  }

  /** Reads one upload in a worker; refuses at once when the queue is full. */
  parse(text: string, format: 'yaml' | 'json'): Promise<ParseReply> {
    if (this.closed) return Promise.reject(new ApiError('shutting_down', 'the server is shutting down'));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(ApiError.busy('server_busy', 'the server is reading other uploads; try again shortly', this.options.timeoutMs / 1000));
    }
    return new Promise<WorkerReply>((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, text, format }, resolve, reject });
      this.dispatch();
    }).then(assemble);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new ApiError('shutting_down', 'the server is shutting down'));
    await Promise.all([...this.slots].map((slot) => this.retire(slot, new ApiError('shutting_down', 'the server is shutting down'))));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = [...this.slots].find((s) => !s.job) ?? (this.slots.size < this.options.size ? this.spawn() : undefined);
      if (!slot) return;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => {
        void this.retire(slot, new ApiError('invalid_scenario', `reading the scenario took longer than ${this.options.timeoutMs / 1000} s; it is too large or too complex`));
      }, this.options.timeoutMs);
      slot.worker.postMessage({ ...job.request, budget: this.options.budget });
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb } });
    worker.unref();
    const slot: Slot = { worker, job: undefined, timer: undefined };
    this.slots.add(slot);
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || reply.id !== job.request.id) return;
      clearTimeout(slot.timer);
      slot.job = undefined;
      job.resolve(reply);
      this.dispatch();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const message =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `reading the scenario needed more than ${this.options.maxHeapMb} MB; it is too large or too complex`
          : 'the scenario could not be read';
      void this.retire(slot, new ApiError('invalid_scenario', message));
    });
    worker.on('exit', () => void this.retire(slot, new ApiError('internal', 'the worker reading the scenario stopped')));
    return slot;
  }

  /** Ends a worker and its job (if any) with `error`; the next job gets a fresh worker. */
  private async retire(slot: Slot, error: ApiError): Promise<void> {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    job?.reject(error);
    await slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }
}
