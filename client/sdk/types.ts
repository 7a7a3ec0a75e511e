/**
 * The SDK's options and the shapes it hands out (besides the contract's own messages).
 */
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';
import type { FaultProfileInput } from '../../server/contract/faults.ts';
import type { ParticipantRole } from '../../server/contract/session.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/socket.ts';
import type { TimelineEvent } from '../../server/domain/events.ts';
import type { NightState } from '../../server/domain/state.ts';

export type SimSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface ConnectOptions {
  /** The server, e.g. `http://localhost:3000`; absent in a page: the page's own origin. */
  readonly url?: string;
  readonly sessionId: string;
  readonly role?: ParticipantRole;
  /** The instructor token (role `instructor`). */
  readonly token?: string;
  /** A trainee's join code, name and region (role `trainee`). */
  readonly joinCode?: string;
  readonly name?: string;
  readonly region?: string;
  /** A trainee coming back as itself (what `welcome$` gave it before). */
  readonly participant?: { readonly participantId: string; readonly participantToken: string };
  /** Resume from here instead of starting with a snapshot. */
  readonly lastSeq?: number;
  /** Faults for this connection only (the server applies them to what it sends this client). */
  readonly faults?: FaultProfileInput;
  /** How long an early item waits for the ones before it before the client asks again (default 1 s). */
  readonly gapWaitMs?: number;
  /** Items waiting at most before the client asks again at once (default 500). */
  readonly maxHeld?: number;
  /**
   * false: holes are not asked for again but given up (and reported on `gap$`) at once; for a
   * load generator that counts losses rather than repairs them. Default true.
   */
  readonly resync?: boolean;
  /** false: no state is folded (no `state$`, `batch$`); for clients that only count. Default true. */
  readonly fold?: boolean;
  /** Passed to socket.io-client (reconnection delays, timeouts…). */
  readonly socket?: Partial<ManagerOptions & SocketOptions>;
}

/** Items the client could not get: the server sent a snapshot over them, or they never came. */
export interface Gap {
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly resolvedBy: 'snapshot' | 'skipped';
}

/** One message's worth of events in order, with the state before and after them. */
export interface EventBatch {
  readonly events: readonly TimelineEvent[];
  readonly before: NightState;
  readonly state: NightState;
}

export interface ClientStats {
  duplicates: number;
  reordered: number;
  /** Reconnects the client made itself to fill a hole. */
  resyncs: number;
  /** Connections made, the first included. */
  connects: number;
}
