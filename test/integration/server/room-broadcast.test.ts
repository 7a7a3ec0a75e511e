/**
 * The one-room broadcast shortcut (server/transport/socket/room-broadcast.ts) against real
 * socket.io clients: one room reaches exactly its members, and what it leaves to socket.io
 * (several rooms, exceptions, filtered disconnects) behaves as before.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { directRoomBroadcast } from '../../../server/transport/socket/room-broadcast.ts';

interface Rig {
  readonly io: Server;
  readonly clients: Record<string, ClientSocket>;
  /** What each client received, by name. */
  readonly got: Record<string, string[]>;
}

let rig: Rig | undefined;

afterEach(async () => {
  for (const c of Object.values(rig?.clients ?? {})) c.disconnect();
  await new Promise((r) => rig?.io.close(r) ?? r(undefined));
  rig = undefined;
});

/** A server whose clients join the rooms they name in their handshake. */
async function start(rooms: Record<string, string[]>): Promise<Rig> {
  const http = createServer();
  const io = new Server(http);
  expect(directRoomBroadcast(io.of('/'))).toBe(true);
  io.on('connection', (socket) => {
    void socket.join((socket.handshake.auth as { rooms: string[] }).rooms);
    socket.emit('joined');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Record<string, ClientSocket> = {};
  const got: Record<string, string[]> = {};
  await Promise.all(
    Object.entries(rooms).map(([name, joined]) => {
      const client = connect(url, { transports: ['websocket'], auth: { rooms: joined } });
      clients[name] = client;
      got[name] = [];
      client.onAny((event: string, payload?: string) => event === 'm' && got[name]!.push(payload!));
      return new Promise((r) => client.once('joined', r));
    }),
  );
  rig = { io, clients, got };
  return rig;
}

/** Waits until a marker sent to everyone has arrived everywhere: what was sent before it has too. */
async function settle(r: Rig): Promise<void> {
  await Promise.all(Object.values(r.clients).map((c) => new Promise((done) => c.once('marker', done))).concat([Promise.resolve(r.io.emit('marker'))]));
}

describe('one-room broadcasts', () => {
  it('reach every member of the room once and nobody else', async () => {
    const r = await start({ a: ['s:1'], b: ['s:1', 's:1:instructors'], c: ['s:2'], d: [] });
    r.io.to('s:1').emit('m', 'one');
    r.io.to('s:2').emit('m', 'two');
    r.io.to('nobody').emit('m', 'none');
    await settle(r);
    expect(r.got).toEqual({ a: ['one'], b: ['one'], c: ['two'], d: [] });
  });

  it('leave several rooms and exceptions to socket.io: a socket in two rooms gets a message once', async () => {
    const r = await start({ a: ['s:1'], b: ['s:1', 's:1:instructors'], c: ['s:1:instructors'], d: ['s:1', 'muted'] });
    r.io.to(['s:1', 's:1:instructors']).emit('m', 'both');
    r.io.to('s:1').except('muted').emit('m', 'except');
    await settle(r);
    expect(r.got).toEqual({ a: ['both', 'except'], b: ['both', 'except'], c: ['both'], d: ['both'] });
  });

  it('disconnect exactly the room when asked to', async () => {
    const r = await start({ a: ['s:1'], b: ['s:1'], c: ['s:2'] });
    const gone = ['a', 'b'].map((n) => new Promise((done) => r.clients[n]!.once('disconnect', done)));
    r.io.in('s:1').disconnectSockets(true);
    await Promise.all(gone);
    expect(r.clients.c!.connected).toBe(true);
    expect(r.io.of('/').sockets.size).toBe(1);
  });
});
