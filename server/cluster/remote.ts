/**
 * Clients of sessions another node runs: admitted, served and heard through that node's
 * internal calls (internal-routes.ts). The owner is looked up at each call, so after a failover
 * the next call reaches the new owner; while no node owns the session (its owner died less than
 * a lease ago) calls wait for one, up to `waitMs`, then fail with `session_moving`.
 */
import { ApiError, errorBodySchema } from '../contract/errors.ts';
import type { Handshake } from '../contract/socket.ts';
import type { CallName, Opening } from '../sessions/calls.ts';
import type { LoggedMessage } from '../sessions/item-log.ts';
import type { PortActor, SessionPort } from '../transport/socket/port.ts';
import type { SocketCluster } from '../transport/socket/server.ts';
import type { Directory } from './directory.ts';
import type { Leases } from './leases.ts';
import type { NodeBook } from './nodes.ts';
import type { StreamLog } from './stream-log.ts';

export const NODE_HEADER = 'x-air-raid-sim-node';

export interface RemoteOptions {
  readonly directory: Directory;
  readonly leases: Leases;
  readonly nodes: NodeBook;
  readonly stream: StreamLog;
  readonly secret: string;
  /** How long a call waits for a session without an owner (default 6 s: a lease and a scan). */
  readonly waitMs?: number;
  /** One internal call's limit (default 5 s). */
  readonly callTimeoutMs?: number;
}

interface AdmitAnswer {
  /** The node that counted the client in when it admitted it. */
  readonly countedBy: string;
  readonly actor: PortActor;
  readonly welcome?: { participantId: string; participantToken: string };
}

const moving = (id: string) => ApiError.busy('session_moving', `session ${id} is moving to another server; reconnect in a moment`, 2);

export class RemoteSessions implements SocketCluster {
  constructor(private readonly options: RemoteOptions) {}

  /** The URL of the node that runs `sessionId`, waiting a while for one; undefined if it does not exist. */
  async ownerUrl(sessionId: string, waitMs = this.options.waitMs ?? 6000): Promise<string | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const owner = await this.options.leases.owner(sessionId);
      const url = owner ? await this.options.nodes.urlOf(owner) : undefined;
      if (url) return url;
      if (!(await this.options.directory.get(sessionId))) return undefined;
      if (Date.now() > deadline) throw moving(sessionId);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async admit(handshake: Handshake, address: string): Promise<SessionPort> {
    const { faults, lastSeq: _lastSeq, ...credentials } = handshake;
    if (faults) {
      // A connection's own faults are applied to the session's items as they leave its node.
      throw new ApiError('invalid_handshake', 'faults for one connection are applied only on the node that runs the session; set them on the session instead (PUT /api/sessions/{id}/faults), or connect to that node');
    }
    const answer = (await this.post(handshake.sessionId, 'admit', { handshake: credentials, address })) as AdmitAnswer;
    const sessionId = handshake.sessionId;
    const actor = answer.actor;
    // The owner knows a trainee by its id; the region is this node's, for the rooms.
    const { region: _region, ...ref } = actor;
    let countedBy = answer.countedBy;
    return {
      sessionId,
      actor,
      ...(answer.welcome ? { welcome: answer.welcome } : {}),
      enter: () => {}, // counted by the owner when it admitted the client
      // Once per owner: a client admitted by the new owner itself is counted already.
      reenter: (owner) => {
        if (owner === countedBy) return;
        countedBy = owner;
        void this.post(sessionId, 'enter', { actor: ref }).catch(() => {});
      },
      opening: (lastSeq) => this.post(sessionId, 'opening', { actor: ref, ...(lastSeq !== undefined ? { lastSeq } : {}) }) as Promise<Opening>,
      call: (name: CallName, payload: unknown) => this.post(sessionId, 'call', { actor: ref, name, payload }) as Promise<object>,
      leave: () => void this.post(sessionId, 'leave', { actor: ref }).catch(() => {}),
    };
  }

  missedSince(sessionId: string, lastSeq: number): Promise<LoggedMessage[] | undefined> {
    return this.options.stream.since(sessionId, lastSeq);
  }

  /** One internal call to the owner; retried on another owner while the session is moving. */
  private async post(sessionId: string, op: string, body: object): Promise<unknown> {
    const deadline = Date.now() + (this.options.waitMs ?? 6000);
    for (;;) {
      const url = await this.ownerUrl(sessionId);
      if (!url) throw new ApiError('session_not_found', `no session has the id "${sessionId}"`);
      let response: Response | undefined;
      try {
        response = await fetch(`${url}/internal/cluster/sessions/${encodeURIComponent(sessionId)}/${op}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [NODE_HEADER]: this.options.secret },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.callTimeoutMs ?? 5000),
        });
      } catch {
        response = undefined; // the owner died: its lease will lapse
      }
      if (response) {
        const payload: unknown = await response.json().catch(() => undefined);
        if (response.ok) return payload;
        const error = errorBodySchema.safeParse(payload);
        if (!error.success) throw new ApiError('internal', `the node running session ${sessionId} answered ${response.status}`);
        if (error.data.error.code !== 'session_moving') {
          const apiError = new ApiError(error.data.error.code, error.data.error.message, error.data.error.issues);
          apiError.retryAfterS = error.data.error.retryAfterS;
          throw apiError;
        }
      }
      if (Date.now() > deadline) throw moving(sessionId);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
