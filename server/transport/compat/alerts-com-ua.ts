/**
 * alerts.com.ua (the unofficial "raid" service), below `/compat/alerts-com-ua/{session}`: its
 * `/api/states`, `/api/states/{id}`, the server-sent-events stream `/api/states/live[/{id}]` and
 * `/api/history`, as its server source defines them (https://github.com/and3rson/raid), with the
 * key in `X-API-Key`. It covers the 24 oblasts and Kyiv city (ids 1 to 25), not Crimea or
 * Sevastopol; times are RFC 3339 with nanoseconds in Kyiv's offset.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { AcuState } from '../../contract/compat.ts';
import { REGIONS, type Region } from '../../domain/regions/index.ts';
import type { Session } from '../../sessions/session.ts';
import { access, type CompatAccessOptions, type Dialect } from './access.ts';
import { rfc3339Nanos } from './feed-time.ts';
import { sessionOr, viewOf, type CompatSessions, type FeedView } from './sessions.ts';
import { alertWatcher } from './watch.ts';

const KYIV = 'Europe/Kyiv';
/** The stream looks at the session this often; every change since the last look is sent, in order. */
export const LIVE_POLL_MS = 100;
/** A `ping` after this long without an update, as the service does. */
export const LIVE_PING_MS = 5000;
/** Open event streams a process serves at most: each holds a connection and a timer. */
export const MAX_LIVE_STREAMS = 1000;
let liveStreams = 0;

const STATES: Region[] = REGIONS.filter((r) => r.ids.alertsComUa !== undefined).sort((a, b) => a.ids.alertsComUa! - b.ids.alertsComUa!);
const byId = new Map(STATES.map((r) => [r.ids.alertsComUa!, r]));
const isHistory = (req: Request) => req.path === '/api/history';

const fail = (res: Response, status: number, error: string) => void res.status(status).json({ error });

const dialect: Dialect = {
  token: (req) => req.get('x-api-key'),
  refuseToken: (res, missing) => fail(res, 403, missing ? 'API key required in the X-API-Key header' : 'Wrong API key'),
  refuseRate: (res, retryS, limit) =>
    fail(res, 429, limit.durationS >= 60 ? `Too many requests: wait ${retryS} seconds` : 'Too many requests'),
  limits: [
    { per: 'address', points: 10, durationS: 1 },
    { per: 'token', points: 100, durationS: 1 },
    { per: 'token', points: 1, durationS: 60, applies: isHistory },
  ],
};

/** A state as it stands, or as it became at a change (`on`, `atMs`). */
function state(view: FeedView, region: Region, at?: { on: boolean; atMs: number }): AcuState {
  const last = view.ledger.alertsOf(region.code).at(-1);
  const changedMs = at ? at.atMs : last ? (last.endMs ?? last.startMs) : undefined;
  return {
    id: region.ids.alertsComUa!,
    name: region.name.uk,
    name_en: region.name.en,
    alert: at ? at.on : view.ledger.open.has(`alert:${region.code}`),
    changed: changedMs === undefined ? null : rfc3339Nanos(view.clock.at(changedMs), KYIV),
  };
}

const lastUpdate = (view: FeedView) => rfc3339Nanos(view.clock.at(view.ledger.lastChangeMs ?? 0), KYIV);

/** The service writes CRLF line ends. */
const sse = (res: Response, event: string, data: unknown) => res.write(`event: ${event}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`);

function live(res: Response, session: Session, only: Region | undefined, closing: () => boolean): void {
  if (liveStreams >= MAX_LIVE_STREAMS) return fail(res, 429, 'Too many open streams');
  liveStreams += 1;
  // setHeader, not res.set: the service sends the type without a charset parameter.
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Connection', 'keep-alive');
  res.flushHeaders();
  sse(res, 'hello', null);
  const regions = only ? [only] : STATES;
  const byCode = new Map(regions.map((r) => [r.code, r]));
  let quietSince = Date.now();
  const look = alertWatcher(session, [...byCode.keys()], (changes, view) => {
    for (const change of changes) sse(res, 'update', { state: state(view, byCode.get(change.code)!, change), notification_id: randomUUID() });
    quietSince = Date.now();
  });
  const timer = setInterval(() => {
    if (session.isDisposed || closing()) {
      clearInterval(timer);
      return void res.end();
    }
    look();
    if (Date.now() - quietSince >= LIVE_PING_MS) {
      sse(res, 'ping', null);
      quietSince = Date.now();
    }
  }, LIVE_POLL_MS);
  // The response closes when the client goes or the stream is ended here.
  res.on('close', () => {
    clearInterval(timer);
    liveStreams -= 1;
  });
}

export function alertsComUaRoutes(sessions: CompatSessions, options: CompatAccessOptions & { readonly isShuttingDown?: () => boolean }): Router {
  const closing = options.isShuttingDown ?? (() => false);
  const router = Router({ mergeParams: true });
  router.use(access(dialect, options));
  const sessionOf = (req: Request, res: Response) => sessionOr(sessions, String(req.params.session), () => fail(res, 404, 'No such session'));

  router.get('/api/states', (req, res) => {
    const session = sessionOf(req, res);
    if (!session) return;
    const v = viewOf(session);
    const states = STATES.map((r) => state(v, r));
    const short = req.query.short !== undefined;
    res.json({ states: short ? states.map(({ id, alert }) => ({ id, alert })) : states, last_update: lastUpdate(v) });
  });

  router.get('/api/states/live', (req, res) => {
    const session = sessionOf(req, res);
    if (session) live(res, session, undefined, closing);
  });

  router.get('/api/states/live/:id', (req, res) => {
    const region = byId.get(Number(req.params.id));
    if (!region) return fail(res, 404, 'No such state');
    const session = sessionOf(req, res);
    if (session) live(res, session, region, closing);
  });

  router.get('/api/states/:id', (req, res) => {
    const session = sessionOf(req, res);
    if (!session) return;
    const v = viewOf(session);
    const region = byId.get(Number(req.params.id));
    res.json({ state: region ? state(v, region) : null, last_update: lastUpdate(v) });
  });

  router.get('/api/history', (req, res) => {
    const session = sessionOf(req, res);
    if (!session) return;
    const v = viewOf(session);
    const history = [...v.ledger.changes].sort((a, b) => a.atMs - b.atMs).flatMap((change) => {
      const region = change.episode.kind === 'alert' ? REGIONS.find((r) => r.code === change.episode.code) : undefined;
      const stateId = region?.ids.alertsComUa;
      return stateId === undefined ? [] : [{ date: rfc3339Nanos(v.clock.at(change.atMs), KYIV), state_id: stateId, alert: change.on }];
    });
    res.json(history.map((h, i) => ({ id: i + 1, ...h })));
  });

  router.use((_req, res) => fail(res, 404, 'Not found'));
  return router;
}
