/**
 * The drill benchmark's baseline: a bare socket.io server that acknowledges every `shelter` at
 * once with `{ ok: true }`, and does nothing else (no sessions, no checks, no database).
 *
 *   node --import tsx bench/bare-echo.ts
 *
 * Prints `bare-echo: serving on http://127.0.0.1:PORT`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('shelter', (_payload: unknown, ack?: (reply: unknown) => void) => ack?.({ ok: true }));
});
http.listen(0, '127.0.0.1', () => {
  console.log(`bare-echo: serving on http://127.0.0.1:${(http.address() as AddressInfo).port}`);
});
