/**
 * ukrainealarm (the API behind the official "Povitriana tryvoha" app), below
 * `/compat/ukrainealarm/{session}`: the `/api/v3` paths and models of api.ukrainealarm.com as its
 * operator's generated clients describe them (https://github.com/UkraineAlarm), driven by the
 * session. The key goes raw in `Authorization` (no scheme).
 *
 * The simulator models oblasts: `/regions` lists each oblast-level region (`State`) with no
 * districts or communities under it, and every alert is a `State` alert of type `AIR` (drones,
 * missiles and aircraft alike raise an air-raid alert). Sevastopol has no known ukrainealarm id
 * and is left out; Crimea is 9999 as in the service.
 */
import express, { Router, type Request, type Response } from 'express';
import type { UaAlertRegion, UaRegionHistory } from '../../contract/compat.ts';
import { uaWebhookSchema } from '../../contract/compat.ts';
import { REGIONS, type Region } from '../../domain/regions/index.ts';
import { access, type CompatAccessOptions, type Dialect } from './access.ts';
import { hms, isoSecondsZ } from './feed-time.ts';
import type { Episode } from './ledger.ts';
import { sessionOr, viewOf, type CompatSessions, type FeedView } from './sessions.ts';

/** The alarms a region's history lists, newest first, as the service documents. */
const HISTORY_LENGTH = 25;
/** Webhooks one key may hold per session. */
const MAX_WEBHOOKS = 1;

const REGIONS_WITH_ID = REGIONS.filter((r) => r.ids.ukrainealarm !== undefined);
const byId = new Map(REGIONS_WITH_ID.map((r) => [r.ids.ukrainealarm!, r]));

/** The service states no rate limit; its public keyless mirror allows 200 requests per 5 minutes per address. */
const dialect: Dialect = {
  token: (req) => req.get('authorization'),
  refuseToken: (res) => void res.status(401).end(),
  refuseRate: (res, retryS) => void res.status(429).set('Retry-After', String(retryS)).end(),
  limits: [{ per: 'address', points: 200, durationS: 300 }],
};

function alertRegion(view: FeedView, region: Region): UaAlertRegion {
  const episode = view.ledger.open.get(`alert:${region.code}`);
  const regionId = region.ids.ukrainealarm!;
  const last = view.ledger.alertsOf(region.code).at(-1);
  const changedMs = last ? (last.endMs ?? last.updates.at(-1)?.atMs ?? last.startMs) : 0;
  const activeAlerts = episode
    ? [{ regionId, regionType: 'State' as const, type: 'AIR' as const, lastUpdate: isoSecondsZ(view.clock.at(episode.updates.at(-1)?.atMs ?? episode.startMs)) }]
    : [];
  return {
    regionId,
    regionType: 'State',
    regionName: region.name.uk,
    regionEngName: region.name.en,
    lastUpdate: isoSecondsZ(view.clock.at(changedMs)),
    activeAlerts,
  };
}

function alarm(view: FeedView, episode: Episode, region: Region) {
  const endMs = episode.endMs ?? view.clock.positionMs;
  return {
    regionId: region.ids.ukrainealarm!,
    startDate: isoSecondsZ(view.clock.at(episode.startMs)),
    endDate: isoSecondsZ(view.clock.at(endMs)),
    duration: hms(endMs - episode.startMs),
    alertType: 'AIR' as const,
    regionName: region.name.uk,
    isContinue: episode.endMs === null,
  };
}

export function ukrainealarmRoutes(sessions: CompatSessions, options: CompatAccessOptions): Router {
  const router = Router({ mergeParams: true });
  router.use(access(dialect, options));
  const view = (req: Request, res: Response) => {
    const session = sessionOr(sessions, String(req.params.session), () => void res.status(404).end());
    return session && viewOf(session);
  };
  const webhooks = new Map<string, string>();

  router.get('/api/v3/regions', (req, res) => {
    if (!view(req, res)) return;
    res.json({
      states: REGIONS_WITH_ID.map((r) => ({ regionId: r.ids.ukrainealarm!, regionName: r.name.uk, regionType: 'State', regionChildIds: [] })),
    });
  });

  router.get('/api/v3/alerts', (req, res) => {
    const v = view(req, res);
    if (!v) return;
    res.json(REGIONS_WITH_ID.filter((r) => v.ledger.open.has(`alert:${r.code}`)).map((r) => alertRegion(v, r)));
  });

  router.get('/api/v3/alerts/status', (req, res) => {
    const v = view(req, res);
    if (!v) return;
    // Rises with every change; a rebuilt ledger (a seek back) starts a new, higher range.
    res.json({ lastActionIndex: v.ledger.generation * 1_000_000 + v.ledger.revision });
  });

  router.get('/api/v3/alerts/regionHistory', (req, res) => {
    const region = byId.get(String(req.query.regionId ?? ''));
    if (!region) return void res.status(typeof req.query.regionId === 'string' ? 404 : 400).end();
    const v = view(req, res);
    if (!v) return;
    const alarms = v.ledger.alertsOf(region.code).slice(-HISTORY_LENGTH).reverse().map((e) => alarm(v, e, region));
    const body: UaRegionHistory = [{ regionId: region.ids.ukrainealarm!, regionName: region.name.uk, alarms }];
    res.json(body);
  });

  router.get('/api/v3/alerts/:regionId', (req, res) => {
    const region = byId.get(req.params.regionId);
    if (!region) return void res.status(404).end();
    const v = view(req, res);
    if (!v) return;
    res.json([alertRegion(v, region)]);
  });

  // Registration is kept per session and key; see the README for what is delivered.
  const json = express.json({ limit: '4kb' });
  const hook = (req: Request, res: Response) => {
    if (!view(req, res)) return;
    const parsed = uaWebhookSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ message: 'expected {"webHookUrl": "http(s)://..."}' });
    const key = `${String(req.params.session)}\n${req.get('authorization')}`;
    if (req.method === 'DELETE') webhooks.delete(key);
    else {
      if (!webhooks.has(key) && webhooks.size >= 10_000 * MAX_WEBHOOKS) return void res.status(429).end();
      webhooks.set(key, parsed.data.webHookUrl);
    }
    res.status(200).end();
  };
  router.post('/api/v3/webhook', json, hook);
  router.patch('/api/v3/webhook', json, hook);
  router.delete('/api/v3/webhook', json, hook);

  router.use((_req, res) => void res.status(404).end());
  return router;
}
