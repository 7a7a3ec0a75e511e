/**
 * Runs inside a worker thread: reads one uploaded scenario at a time (parse, validate, compile
 * its waves) and posts back the result, so that a hostile or merely large upload costs this
 * thread's time and memory, never the event loop that keeps every session on time.
 */
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { parseScenarioText, type ScenarioBudget } from './load.ts';
import { EVENTS_PER_CHUNK, type ParseRequest, type WorkerReply } from './parse-pool.ts';

// On Linux a nice value is per thread: this one yields the CPU to the event loop whenever both
// want it, so that on a small machine an upload waits, not the sessions.
try {
  setPriority(19);
} catch {
  // not permitted, or not this platform: the worker still runs, at normal priority
}

parentPort?.on('message', (request: ParseRequest & { budget: ScenarioBudget }) => {
  const result = parseScenarioText(request.text, { fileName: 'upload', format: request.format, budget: request.budget });
  if (!result.ok) {
    const reply: WorkerReply = { id: request.id, problems: result.problems };
    parentPort?.postMessage(reply);
    return;
  }
  // Events go back as JSON text in chunks, which the event loop parses one at a time between
  // other work: one structured clone of 18,000 events held it for 80 ms.
  const { events, ...rest } = result.scenario;
  const eventChunks: string[] = [];
  let bytes = JSON.stringify(rest).length;
  for (let i = 0; i < events.length; i += EVENTS_PER_CHUNK) {
    const chunk = JSON.stringify(events.slice(i, i + EVENTS_PER_CHUNK));
    bytes += chunk.length;
    eventChunks.push(chunk);
  }
  const reply: WorkerReply = { id: request.id, scenario: rest, eventChunks, bytes };
  parentPort?.postMessage(reply);
});
