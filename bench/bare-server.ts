/**
 * The fan-out benchmark's baseline: a bare socket.io server that replays a recording of what the
 * simulator sent (same event names, same payloads, at the times the simulator scheduled them
 * from its start) with io.emit to every client, and does nothing else. No sessions, no engine,
 * no checks.
 *
 *   node --import tsx bench/bare-server.ts <recording.json>
 *
 * Prints `bare-server: serving on http://127.0.0.1:PORT`; each connection gets the recorded join
 * snapshot; `POST /play` starts the replay and answers `{ startMs }`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { epochNow } from './epoch.ts';

export interface RecordedMessage {
  /** When the simulator meant to send it, ms after `origin` (see `schedule` in fanout.ts). */
  readonly offsetMs: number;
  readonly name: string;
  readonly payload: unknown;
}

export interface Recording {
  /** serverTimeMs of the clock that answered `play`: time zero of the recording. */
  readonly origin: number;
  /** What a viewer got on joining. */
  readonly snapshot: unknown;
  readonly messages: readonly RecordedMessage[];
}

/**
 * Clocks carry the simulator's wall time; moved by `shiftMs` they say the same thing about this
 * replay, so viewers compute due times exactly as they did in the simulator's run. The shift
 * is whole milliseconds: the numbers keep their length, the payloads their size.
 */
function shifted(name: string, payload: unknown, shiftMs: number): unknown {
  const withTime = (clock: { serverTimeMs: number }) => ({ ...clock, serverTimeMs: clock.serverTimeMs + shiftMs });
  if (name === 'clock') return withTime(payload as { serverTimeMs: number });
  if (name === 'snapshot') {
    const snapshot = payload as { clock: { serverTimeMs: number } };
    return { ...snapshot, clock: withTime(snapshot.clock) };
  }
  return payload;
}

/** Emits each message at `startMs + offsetMs`. Deadlines are absolute: a late timer never delays the rest. */
function replay(io: Server, recording: Recording, startMs: number): void {
  const shiftMs = startMs - recording.origin;
  const messages = recording.messages.map((m) => ({ at: startMs + m.offsetMs, name: m.name, payload: shifted(m.name, m.payload, shiftMs) }));
  let next = 0;
  const tick = () => {
    const now = epochNow();
    while (next < messages.length && messages[next]!.at <= now) {
      const m = messages[next++]!;
      io.emit(m.name, m.payload);
    }
    if (next < messages.length) setTimeout(tick, Math.max(0, Math.ceil(messages[next]!.at - epochNow())));
  };
  tick();
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node --import tsx bench/bare-server.ts <recording.json>\n');
  process.exit(1);
}
const recording = JSON.parse(readFileSync(file, 'utf8')) as Recording;

const http = createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/play') {
    // A couple of ms ahead, in whole ms, so that the first message is not already late.
    const startMs = Math.ceil(epochNow()) + 2;
    replay(io, recording, startMs);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ startMs }));
  } else res.writeHead(404).end();
});
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => socket.emit('snapshot', recording.snapshot));

http.listen(0, '127.0.0.1', () => {
  process.stdout.write(`bare-server: serving on http://127.0.0.1:${(http.address() as AddressInfo).port}\n`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    io.close();
    process.exit(0);
  });
}
