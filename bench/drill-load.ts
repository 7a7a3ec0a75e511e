/**
 * The drill benchmark's trainees, in a process of their own (forked by bench/drill.ts): N
 * socket.io clients that join, wait for the alert, and answer within a few seconds of it, each
 * timing its acknowledgement. Against the bare echo server they "answer" on the parent's word.
 *
 * Protocol with the parent (IPC): { kind: 'join', ... } → { kind: 'joined' }; { kind: 'go' }
 * (echo only) → answers; then { kind: 'result', latencies, lost, answered }.
 */
import { io, type Socket } from 'socket.io-client';

export type DrillLoadCommand =
  | { kind: 'join'; mode: 'drill' | 'echo'; url: string; sessionId?: string; joinCode?: string; clients: number; spreadMs: number }
  | { kind: 'go' };
export type DrillLoadReply = { kind: 'joined' } | { kind: 'result'; latencies: number[]; lost: number; answered: number; refused: string[] };

/** An answer not acknowledged within this long counts as lost. */
const ACK_TIMEOUT_MS = 15_000;

let sockets: Socket[] = [];
let spread = 3000;
const latencies: number[] = [];
const refused: string[] = [];
let lost = 0;
let answered = 0;
let pending = 0;
let mode: 'drill' | 'echo' = 'drill';
let expected = 0;

const send = (reply: DrillLoadReply) => process.send!(reply);

function answer(socket: Socket): void {
  pending += 1;
  setTimeout(() => {
    const sent = performance.now();
    socket.timeout(ACK_TIMEOUT_MS).emit('shelter', {}, (error: Error | null, ack: { ok: boolean; error?: { code: string } }) => {
      pending -= 1;
      if (error || !ack.ok) {
        lost += 1;
        if (ack?.error) refused.push(ack.error.code);
      } else {
        answered += 1;
        latencies.push(performance.now() - sent);
      }
      if (answered + lost === expected) send({ kind: 'result', latencies, lost, answered, refused: refused.slice(0, 10) });
    });
  }, Math.random() * spread);
}

async function join(command: Extract<DrillLoadCommand, { kind: 'join' }>): Promise<void> {
  mode = command.mode;
  expected = command.clients;
  spread = command.spreadMs;
  const connectOne = (i: number) =>
    new Promise<Socket>((resolve, reject) => {
      const auth = command.mode === 'drill' ? { sessionId: command.sessionId, role: 'trainee', joinCode: command.joinCode, name: `Trainee ${i + 1}`, region: 'UA-32' } : {};
      const socket = io(command.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
      let alerted = false;
      socket.on('self', (status: { state: string }) => {
        if (status.state === 'alerted' && !alerted) {
          alerted = true;
          answer(socket);
        }
      });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  for (let i = 0; i < command.clients; i += 100) {
    sockets = sockets.concat(await Promise.all(Array.from({ length: Math.min(100, command.clients - i) }, (_, j) => connectOne(i + j))));
  }
  send({ kind: 'joined' });
}

process.on('message', (command: DrillLoadCommand) => {
  if (command.kind === 'join') void join(command).catch((e: unknown) => { console.error(e); process.exit(1); });
  else if (command.kind === 'go' && mode === 'echo') for (const s of sockets) answer(s);
});
process.on('disconnect', () => {
  for (const s of sockets) s.close();
  process.exit(0);
});
