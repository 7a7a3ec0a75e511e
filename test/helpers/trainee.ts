/** A trainee's phone on the SDK, for tests that kill servers under a drill and bring trainees back. */
import { connect, type SimClient } from '../../client/sdk/index.ts';
import { traineeStatusSchema } from '../../server/contract/wire.ts';

export interface Trainee {
  name: string;
  region: string;
  participantId?: string;
  participantToken?: string;
  client?: SimClient;
  state?: string;
}

/**
 * Connects `t` to the drill at `url`: the first time with the join code, later (a restart, another
 * node) as itself. Resolves on its first status; `t.state` follows every one after.
 */
export function joinAsTrainee(url: string, sessionId: string, t: Trainee, joinCode: string): Promise<void> {
  const client = connect({
    url,
    sessionId,
    role: 'trainee',
    ...(t.participantId ? { participant: { participantId: t.participantId, participantToken: t.participantToken! } } : { joinCode, name: t.name, region: t.region }),
    socket: { reconnection: false },
  });
  t.client = client;
  client.welcome$.subscribe((w) => Object.assign(t, w));
  client.self$.subscribe((s) => (t.state = traineeStatusSchema.parse(s).state));
  return new Promise((resolve, reject) => {
    client.self$.subscribe(() => resolve());
    client.error$.subscribe((e) => reject(new Error(e.message)));
  });
}
