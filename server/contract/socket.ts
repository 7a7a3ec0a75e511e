/**
 * The socket.io protocol (DESIGN.md §5), typed once for the server, the page and the SDK.
 */
import { z } from 'zod';
import type { ClockState, Control } from '../domain/control.ts';
import type { TimelineEvent } from '../domain/events.ts';
import { regionCodeSchema } from '../domain/events.ts';
import type { ErrorBody } from './errors.ts';
import { faultProfileSchema, type FaultReport } from './faults.ts';
import { traineeNameSchema, type ClockMessage, type DrillMessage, type Roster, type Snapshot, type TraineeStatus } from './session.ts';
import type { byeSchema, welcomeSchema } from './wire.ts';

export const handshakeSchema = z.strictObject({
  sessionId: z.string().min(1).max(64),
  role: z.enum(['viewer', 'trainee', 'instructor']),
  token: z.string().min(1).max(256).optional(),
  joinCode: z.string().min(1).max(32).optional(),
  name: z.string().max(400).optional(),
  region: regionCodeSchema.optional(),
  lastSeq: z.number().int().min(0).optional(),
  /** A trainee's own id and secret from `welcome`, to come back as the same participant. */
  participantId: z.string().min(1).max(64).optional(),
  participantToken: z.string().min(1).max(256).optional(),
  /** Faults for this connection only: the server applies them to what it sends it. */
  faults: faultProfileSchema.optional(),
});
export type Handshake = z.output<typeof handshakeSchema>;

export type Ack<T extends object = object> = ({ ok: true } & T) | ({ ok: false } & ErrorBody);

export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void;
  events: (events: TimelineEvent[]) => void;
  clock: (clock: ClockMessage) => void;
  roster: (roster: Roster) => void;
  /** To a trainee only: who it is, to reconnect as itself. */
  welcome: (welcome: z.infer<typeof welcomeSchema>) => void;
  /** To a trainee only: where it stands (waiting, alerted, sheltered, missed). */
  self: (status: TraineeStatus) => void;
  /** A message of the instructor's, to everyone or to one region's trainees. */
  message: (message: DrillMessage) => void;
  /** The session was deleted by its instructor: nothing more will come. */
  ended: (info: z.infer<typeof byeSchema>) => void;
  /** The server is going away (shutdown); reconnect later. */
  bye: (info: z.infer<typeof byeSchema>) => void;
  /** The faults applied to this connection (its own, or its session's): on connect and on change. */
  faults: (report: FaultReport) => void;
}

export interface ClientToServerEvents {
  control: (control: Control, ack?: (result: Ack<{ clock: ClockState }>) => void) => void;
  shelter: (payload: { inShelter?: true } | undefined, ack?: (result: Ack<{ alertAtMs: number; responseMs: number; responseWallMs: number }>) => void) => void;
  inject: (payload: { event: unknown }, ack?: (result: Ack<{ event: TimelineEvent }>) => void) => void;
  post: (payload: { text: string; region?: string }, ack?: (result: Ack) => void) => void;
}

/** `shelter`: the trainee is in the shelter; it answers the alert its region is under now, once. */
export const shelterSchema = z.strictObject({ inShelter: z.literal(true).default(true) }).default({ inShelter: true });
export { traineeNameSchema };
