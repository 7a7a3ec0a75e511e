/**
 * A client that stops reading must not make the server buffer without end: once what waits for
 * it passes `maxBufferedBytes` (8 MB by default; 256 KB here) it is disconnected, and a client
 * that reads goes on receiving everything. Real server, real socket.io clients; the stalled one
 * stops reading at the TCP level, as a phone that lost its radio would.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateScenario } from '../../../server/scenario/generate.ts';
import { loadScenarioObject } from '../../../server/scenario/load.ts';
import type { RunningServer } from '../../../server/server.ts';
import { bufferedBytes } from '../../../server/transport/socket/server.ts';
import { api, createSession, Recorder, startTestServer, until } from '../../helpers/server.ts';

const LIMIT = 256 * 1024;
let server: RunningServer;

beforeAll(async () => {
  server = await startTestServer({ socketLimits: { maxBufferedBytes: LIMIT } });
  // 40,000 events over two hours of night: about 2 seconds at 3600x, several MB of messages.
  const generated = loadScenarioObject({ ...generateScenario({ events: 40_000, seed: 5, durationMs: 2 * 3_600_000 }), id: 'dense' });
  if (!generated.ok) throw new Error('generated scenario invalid');
  server.scenarios.add(generated.scenario, 'upload');
});
afterAll(async () => {
  await server.close();
});

it('disconnects a client that stopped reading once its backlog passes the limit, and keeps serving the others', async () => {
  const s = await createSession(server, { scenarioId: 'dense', speed: 3600, autoplay: false });
  const reader = new Recorder(server, { sessionId: s.id, role: 'viewer' });
  const stalled = new Recorder(server, { sessionId: s.id, role: 'viewer' });
  await Promise.all([reader.connected(), stalled.connected()]);
  await until(() => reader.snapshots.length > 0 && stalled.snapshots.length > 0, 'first snapshots');
  const stalledId = stalled.socket.id;
  const tcp = (stalled.socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
  tcp.pause();

  // What the server holds for the stalled client, sampled as the night plays.
  let most = 0;
  const sample = setInterval(() => {
    const socket = [...server.io.of('/').sockets.values()].find((x) => x.id === stalledId);
    if (socket) most = Math.max(most, bufferedBytes(socket));
  }, 20);
  try {
    await api(server, `/api/sessions/${s.id}/control`, { method: 'POST', json: { action: 'play' }, headers: { authorization: `Bearer ${s.instructorToken}` } });
    await until(() => ![...server.io.of('/').sockets.values()].some((x) => x.id === stalledId), 'the stalled client disconnected by the server', 20_000);
    await until(() => reader.ended, 'the end of the night for the reader', 20_000);
  } finally {
    clearInterval(sample);
    tcp.resume();
  }
  // It was cut off for its backlog, not before it had one.
  expect(most).toBeGreaterThan(LIMIT / 2);
  expect(reader.events.length).toBe(40_000);
  const seqs = reader.seqs;
  seqs.forEach((seq, i) => i > 0 && expect(seq).toBe(seqs[i - 1]! + 1));
  reader.close();
  stalled.close();
});
