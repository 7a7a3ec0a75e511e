/**
 * The AsyncAPI 3.0 document of the socket protocol, generated from the zod schemas of the
 * contract (z.toJSONSchema as JSON Schema draft-07, which AsyncAPI's schema format extends) and
 * served at `GET /api/asyncapi.json`. Only the list of messages and operations is written here;
 * every payload comes from the schemas the server validates with and the SDK is typed by.
 *
 * socket.io has no AsyncAPI binding: each socket.io event is one message whose `name` is the
 * event's name, on one channel (the session the handshake named), and an acknowledgement is
 * the operation's `reply`.
 */
import { z } from 'zod';
import { controlSchema } from '../domain/control.ts';
import { timelineEventSchema } from '../domain/events.ts';
import { errorBodySchema } from './errors.ts';
import { faultReportSchema } from './faults.ts';
import { handshakeSchema, shelterSchema } from './socket.ts';
import { postSchema } from './session.ts';
import { byeSchema, clockMessageSchema, drillMessageSchema, rosterSchema, snapshotSchema, traineeStatusSchema, welcomeSchema } from './wire.ts';
import { webhookPayloadSchema } from './webhooks.ts';

const ok = (shape: z.ZodRawShape) => z.object({ ok: z.literal(true), ...shape });
const failed = errorBodySchema.extend({ ok: z.literal(false) });

const SCHEMAS = {
  Handshake: handshakeSchema,
  Snapshot: snapshotSchema,
  Events: z.array(timelineEventSchema).describe('events of one frame, in seq order'),
  Clock: clockMessageSchema,
  Roster: rosterSchema,
  Welcome: welcomeSchema,
  Bye: byeSchema,
  FaultReport: faultReportSchema,
  Control: controlSchema,
  ControlAck: z.union([ok({ clock: clockMessageSchema.unwrap().omit({ seq: true }) }), failed]),
  Shelter: shelterSchema,
  ShelterAck: z.union([
    ok({
      alertAtMs: z.number().describe('scenario position of the alert answered'),
      responseMs: z.number().describe('scenario time from the alert to the answer'),
      responseWallMs: z.number().describe('real time from the alert reaching the drill to the answer'),
    }),
    failed,
  ]),
  TraineeStatus: traineeStatusSchema,
  DrillMessage: drillMessageSchema,
  Ended: byeSchema,
  Post: postSchema,
  PostAck: z.union([ok({}), failed]),
  Inject: z.object({ event: z.record(z.string(), z.unknown()).describe('an event without id and time (see the scenario schema)') }),
  InjectAck: z.union([ok({ event: timelineEventSchema }), failed]),
  ConnectError: errorBodySchema,
  WebhookPayload: webhookPayloadSchema,
} as const;
type Name = keyof typeof SCHEMAS;

function schemas(): Record<string, object> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(SCHEMAS)) registry.add(schema as z.ZodType, { id });
  const { schemas: out } = z.toJSONSchema(registry, { target: 'draft-7', uri: (id) => `#/components/schemas/${id}`, io: 'output', unrepresentable: 'any' });
  return Object.fromEntries(Object.entries(out).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]));
}

/** socket.io events: [event name, payload schema, direction, what it is]. */
const MESSAGES: ReadonlyArray<readonly [string, Name, 'receive' | 'send', string]> = [
  ['snapshot', 'Snapshot', 'receive', 'The whole state: on connecting (unless resumed with lastSeq) and after every jump (seek, step back, restart, loop).'],
  ['events', 'Events', 'receive', 'Events that fell due, each with its seq; items (events and clocks) are numbered by one counter per session.'],
  ['clock', 'Clock', 'receive', 'The clock after a control, every 5 s while playing, and at the end.'],
  ['roster', 'Roster', 'receive', 'To a drill\'s instructors: the trainees and their answers.'],
  ['welcome', 'Welcome', 'receive', 'To a trainee that has just joined: its id and secret, to reconnect as itself.'],
  ['bye', 'Bye', 'receive', 'The server is shutting down; reconnect later.'],
  ['self', 'TraineeStatus', 'receive', 'To a trainee: where it stands (waiting, alerted, sheltered with its response time, missed), whenever that changes.'],
  ['message', 'DrillMessage', 'receive', 'The instructor\'s message, to everyone or to one region\'s trainees (and the instructors).'],
  ['ended', 'Ended', 'receive', 'The instructor deleted the drill: nothing more will come.'],
  ['faults', 'FaultReport', 'receive', 'The faults applied to this connection (its own, or its session\'s): on connect and when they change.'],
  ['control', 'Control', 'send', 'Instructor only: play, pause, seek, step, speed, loop, restart.'],
  ['shelter', 'Shelter', 'send', 'Trainee only: "I am in the shelter", answering the alert its region is under now, once; acknowledged after it is stored.'],
  ['post', 'Post', 'send', 'Instructor only: a message to everyone, or to one region\'s trainees.'],
  ['inject', 'Inject', 'send', 'Instructor only: an ad-hoc event at the current position.'],
];
const ACKS: Record<string, Name> = { control: 'ControlAck', shelter: 'ShelterAck', inject: 'InjectAck', post: 'PostAck' };

export function asyncApiDocument(version: string): object {
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const messages: Record<string, object> = {};
  for (const [event, schema, , description] of MESSAGES) messages[event] = { name: event, title: event, summary: description, payload: ref(schema) };
  for (const [event, schema] of Object.entries(ACKS)) messages[`${event}Ack`] = { name: `${event} acknowledgement`, summary: `The answer to \`${event}\`: { ok: true, … } or { ok: false, error }.`, payload: ref(schema) };
  const channelMessages = Object.fromEntries(Object.keys(messages).map((m) => [m, { $ref: `#/components/messages/${m}` }]));
  const operations: Record<string, object> = {};
  for (const [event, , action, description] of MESSAGES) {
    operations[`${action}${event[0]!.toUpperCase()}${event.slice(1)}`] = {
      action,
      summary: description,
      channel: { $ref: '#/channels/session' },
      messages: [{ $ref: `#/channels/session/messages/${event}` }],
      ...(ACKS[event] ? { reply: { channel: { $ref: '#/channels/session' }, messages: [{ $ref: `#/channels/session/messages/${event}Ack` }] } } : {}),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'air-raid-sim socket protocol',
      version,
      description:
        'socket.io (websocket transport) on the server\'s own origin, path /socket.io/. The handshake\'s `auth` is a `Handshake`; a refused connection gets a `connect_error` whose `data` is a `ConnectError`. Reconnect with `lastSeq` (the last item received) to get exactly the items missed, or a snapshot when they are no longer kept. The typed client `air-raid-sim/client` implements all of this. Webhook deliveries carry a `WebhookPayload`.',
    },
    defaultContentType: 'application/json',
    servers: { local: { host: 'localhost:3000', protocol: 'ws', pathname: '/socket.io/', description: 'a server started with `npm start`' } },
    channels: {
      session: {
        address: '/',
        title: 'A session',
        description: 'Everything one connection of one session (named in the handshake) sends and receives.',
        messages: channelMessages,
      },
    },
    operations,
    components: { schemas: schemas(), messages },
  };
}
