// The abuse benchmark's canary, in a thread of its own: a viewer that stamps each event as it
// arrives and posts [{ at, ms }] (arrival time, ms past the event's due time) to the main thread.
// Its own event loop is not the one sending the attacks, so their cost on the benchmark's side
// (encoding 19 MB bodies, say) does not show up as lag. Plain JavaScript: workers have no loader.
import { parentPort, workerData } from 'node:worker_threads';
import { io } from 'socket.io-client';

const { url, sessionId } = workerData;
const socket = io(url, { auth: { sessionId, role: 'viewer' }, transports: ['websocket'], forceNew: true });
let clock;
socket.on('snapshot', (s) => (clock = s.clock));
socket.on('clock', (c) => (clock = c));
socket.on('events', (events) => {
  const now = Date.now();
  if (!clock?.playing) return;
  parentPort.postMessage(events.map((e) => ({ at: now, ms: now - (clock.serverTimeMs + (e.atMs - clock.positionMs) / clock.speed) })));
});
parentPort.on('message', (message) => {
  if (message === 'close') {
    socket.close();
    parentPort.close();
  }
});
