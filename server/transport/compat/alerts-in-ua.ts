/**
 * alerts.in.ua, below `/compat/alerts-in-ua/{session}`: the paths, bodies and headers of
 * https://api.alerts.in.ua (documented at https://devs.alerts.in.ua), driven by the session.
 *
 * What its clients rely on: `Last-Modified` on every 200 and 304 (the official Python client
 * reads it unconditionally), `If-Modified-Since` answered with 304, JSON with charset on every
 * body (the IoT ones are JSON strings), `*_at` with milliseconds, `meta.last_updated_at` as
 * `YYYY/MM/DD HH:MM:SS +0000`, `location_uid` a string and `location_oblast_uid` an integer.
 * The simulator models oblasts: every entry is oblast-level, as the service sends an alert over
 * a whole oblast; the IoT `P` (partial alert) never appears.
 */
import { Router, type Request, type Response } from 'express';
import type { AiuAlert, AiuAlerts } from '../../contract/compat.ts';
import { REGIONS, type Region } from '../../domain/regions/index.ts';
import { access, bearer, type CompatAccessOptions, type Dialect } from './access.ts';
import { isoMillisZ, slashUtc } from './feed-time.ts';
import { lastModifiedMs, notModified } from './last-modified.ts';
import type { Episode } from './ledger.ts';
import { sessionOr, viewOf, type CompatSessions, type FeedView } from './sessions.ts';

const DISCLAIMER = 'Simulated data from air-raid-sim: a replay of a past night, not live alerts.';
const HISTORY_PERIODS: Record<string, number> = { week_ago: 7 * 86_400_000, month_ago: 30 * 86_400_000 };
/** Per address, as documented: 12 requests a minute, the history 2 a minute. */
const isHistory = (req: Request) => /\/v1\/regions\//.test(req.path);

const IOT_ORDER: Region[] = REGIONS.filter((r) => r.ids.alertsInUaIotIndex !== undefined).sort(
  (a, b) => a.ids.alertsInUaIotIndex! - b.ids.alertsInUaIotIndex!,
);
const byUid = new Map(IOT_ORDER.map((r) => [r.ids.alertsInUa!, r]));

const fail = (res: Response, status: number, message: string) => void res.status(status).json({ message });

const dialect: Dialect = {
  token: (req) => bearer(req) ?? (typeof req.query.token === 'string' ? req.query.token : undefined),
  refuseToken: (res, missing) =>
    fail(res, 401, missing ? 'API token required: send Authorization: Bearer <token> or ?token=<token>' : 'Unauthorized: the API token is not valid'),
  refuseRate: (res, retryS) => fail(res, 429, `Too many requests: the limit is exceeded, retry in ${retryS} s`),
  limits: [
    { per: 'address', points: 12, durationS: 60 },
    { per: 'address', points: 2, durationS: 60, applies: isHistory },
  ],
};

function toAlert(view: FeedView, episode: Episode, region: Region): AiuAlert {
  const updatedMs = episode.updates.at(-1)?.atMs ?? episode.startMs;
  const uid = region.ids.alertsInUa!;
  return {
    id: episode.n,
    location_title: region.name.uk,
    location_type: region.code === 'UA-30' || region.code === 'UA-40' ? 'city' : 'oblast',
    started_at: isoMillisZ(view.clock.at(episode.startMs)),
    finished_at: episode.endMs === null ? null : isoMillisZ(view.clock.at(episode.endMs)),
    updated_at: isoMillisZ(view.clock.at(episode.endMs ?? updatedMs)),
    alert_type: 'air_raid',
    location_uid: uid,
    location_oblast: region.name.uk,
    location_oblast_uid: Number(uid),
    location_raion: null,
    notes: null,
    calculated: null,
  };
}

function alertsBody(view: FeedView, episodes: Episode[], lastModified: number): AiuAlerts {
  const alerts = episodes.flatMap((e) => {
    const region = REGIONS.find((r) => r.code === e.code);
    return region?.ids.alertsInUa ? [toAlert(view, e, region)] : [];
  });
  return { alerts, meta: { last_updated_at: slashUtc(lastModified), type: 'full' }, disclaimer: DISCLAIMER };
}

/** Headers as the service sends them, then 304 or the body. */
function answer(req: Request, res: Response, view: FeedView, body: () => unknown): void {
  const lastModified = lastModifiedMs(view);
  const now = Date.now();
  res.set({
    'Last-Modified': new Date(lastModified).toUTCString(),
    'Cache-Control': 'max-age=1',
    Expires: new Date(now + 1000).toUTCString(),
  });
  if (notModified(req, lastModified)) {
    res.status(304).end();
    return;
  }
  res.json(body());
}

export function alertsInUaRoutes(sessions: CompatSessions, options: CompatAccessOptions): Router {
  const router = Router({ mergeParams: true });
  router.use(access(dialect, options));
  const view = (req: Request, res: Response) => {
    const session = sessionOr(sessions, String(req.params.session), () => fail(res, 404, 'Not found: no such session'));
    return session && viewOf(session);
  };

  router.get('/v1/alerts/active.json', (req, res) => {
    const v = view(req, res);
    if (!v) return;
    answer(req, res, v, () => alertsBody(v, v.ledger.episodes.filter((e) => e.kind === 'alert' && e.endMs === null), lastModifiedMs(v)));
  });

  router.get('/v1/iot/active_air_raid_alerts_by_oblast.json', (req, res) => {
    const v = view(req, res);
    if (!v) return;
    answer(req, res, v, () => IOT_ORDER.map((r) => (v.ledger.open.has(`alert:${r.code}`) ? 'A' : 'N')).join(''));
  });

  router.get('/v1/iot/active_air_raid_alerts/:file', (req, res) => {
    const region = byUid.get(/^(\d+)\.json$/.exec(req.params.file)?.[1] ?? '');
    if (!region) return fail(res, 404, 'Not found: no oblast-level region has this UID');
    const v = view(req, res);
    if (!v) return;
    answer(req, res, v, () => (v.ledger.open.has(`alert:${region.code}`) ? 'A' : 'N'));
  });

  router.get('/v1/regions/:uid/alerts/:file', (req, res) => {
    const region = byUid.get(req.params.uid);
    if (!region) return fail(res, 404, 'Not found: no oblast-level region has this UID');
    const period = HISTORY_PERIODS[/^(\w+)\.json$/.exec(req.params.file)?.[1] ?? ''];
    if (period === undefined) return fail(res, 400, `Bad request: the period must be one of ${Object.keys(HISTORY_PERIODS).join(', ')}`);
    const v = view(req, res);
    if (!v) return;
    const since = v.clock.nowMs - period;
    const episodes = v.ledger.alertsOf(region.code).filter((e) => e.endMs === null || v.clock.at(e.endMs) >= since);
    answer(req, res, v, () => alertsBody(v, episodes.reverse(), lastModifiedMs(v)));
  });

  router.use((_req, res) => fail(res, 404, 'Not found'));
  return router;
}
