/**
 * Runs inside a worker thread: reads one uploaded scenario at a time (parse, validate, compile
 * its waves) and posts back the result, so that a hostile or merely large upload costs this
 * thread's time and memory, never the event loop that keeps every session on time.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { parseScenarioText, type ScenarioBudget } from './load.ts';
import type { ParseReply, ParseRequest } from './parse-pool.ts';

// On Linux a nice value is per thread: this one yields the CPU to the event loop whenever both
// want it, so that on a small machine an upload waits, not the sessions.
try {
  setPriority(19);
} catch {
  // not permitted, or not this platform: the worker still runs, at normal priority
}

parentPort?.on('message', (request: ParseRequest & { budget: ScenarioBudget }) => {
  const result = parseScenarioText(request.text, { fileName: 'upload', format: request.format, budget: request.budget });
  // What the scenario will hold in memory, roughly: its JSON size is a fair, cheap measure.
  const bytes = result.ok ? JSON.stringify(result.scenario).length : 0;
  const reply: ParseReply = { id: request.id, result, bytes };
  parentPort?.postMessage(reply);
});
