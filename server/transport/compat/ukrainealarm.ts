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
import type { AlertChange } from './watch.ts';
import { Webhooks } from './webhooks.ts';
import type { CompatWebhookStore } from '../../webhooks/compat-store.ts';

/** The alarms a region's history lists, newest first, as the service documents. */
const HISTORY_LENGTH = 25;

const REGIONS_WITH_ID = REGIONS.filter((r) => r.ids.ukrainealarm !== undefined);
const byId = new Map(REGIONS_WITH_ID.map((r) => [r.ids.ukrainealarm!, r]));

/** The service states no rate limit; its public keyless mirror allows 200 requests per 5 minutes per address. */
const dialect: Dialect = {
  token: (req) => req.get('authorization'),
  refuseToken: (res) => void res.status(401).end(),
  refuseRate: (res, retryS) => void res.status(429).set('Retry-After', String(retryS)).end(),
  limits: [{ per: 'address', points: 200, durationS: 300 }],
};

/** A region as it stands, or as it became at a change (for webhooks). */
function alertRegion(view: FeedView, region: Region, change?: AlertChange): UaAlertRegion {
  const episode = view.ledger.open.get(`alert:${region.code}`);
  const regionId = region.ids.ukrainealarm!;
  const last = view.ledger.alertsOf(region.code).at(-1);
  const on = change ? change.on : episode !== undefined;
  const sinceMs = change ? change.atMs : (episode?.updates.at(-1)?.atMs ?? episode?.startMs ?? 0);
  const changedMs = change ? change.atMs : last ? (last.endMs ?? last.updates.at(-1)?.atMs ?? last.startMs) : 0;
  return {
    regionId,
    regionType: 'State',
    regionName: region.name.uk,
    regionEngName: region.name.en,
    lastUpdate: isoSecondsZ(view.clock.at(changedMs)),
    activeAlerts: on ? [{ regionId, regionType: 'State', type: 'AIR', lastUpdate: isoSecondsZ(view.clock.at(sinceMs)) }] : [],
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

export interface UkrainealarmOptions extends CompatAccessOptions {
  /** Deliver webhooks (default) or only register them. */
  readonly webhooks?: boolean;
  /** The server's webhook queue: stored, retried with backoff, logged (see webhooks/dispatcher.ts). */
  readonly queue?: (delivery: { id: string; webhookId: string; url: string; body: string }) => void;
  /** Where webhook registrations are kept across restarts. */
  readonly hooks?: CompatWebhookStore;
  readonly isShuttingDown?: () => boolean;
}

/** The feed's webhooks: made here, restored at startup by the server (`Webhooks.restore`). */
export function ukrainealarmWebhooks(sessions: CompatSessions, options: UkrainealarmOptions): Webhooks {
  return new Webhooks({
    feed: 'ukrainealarm',
    sessions,
    codes: REGIONS_WITH_ID.map((r) => r.code),
    body: (v, change) => alertRegion(v, REGIONS_WITH_ID.find((r) => r.code === change.code)!, change),
    ...(options.hooks ? { store: options.hooks } : {}),
    ...(options.webhooks === undefined ? {} : { deliver: options.webhooks }),
    ...(options.isShuttingDown ? { isShuttingDown: options.isShuttingDown } : {}),
    ...(options.queue ? { queue: options.queue } : {}),
  });
}

export function ukrainealarmRoutes(sessions: CompatSessions, webhooks: Webhooks, options: UkrainealarmOptions): Router {
  const router = Router({ mergeParams: true });
  router.use(access(dialect, options));
  const sessionOf = (req: Request, res: Response) => sessionOr(sessions, String(req.params.session), () => void res.status(404).end());
  const view = (req: Request, res: Response) => {
    const session = sessionOf(req, res);
    return session && viewOf(session);
  };

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

  // One webhook per key and session; each change of an alert is POSTed to it (webhooks.ts).
  const json = express.json({ limit: '4kb' });
  const hook = (req: Request, res: Response) => {
    const session = sessionOf(req, res);
    if (!session) return;
    const parsed = uaWebhookSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ message: 'expected {"webHookUrl": "http(s)://..."}' });
    const key = req.get('authorization')!;
    const name = String(req.params.session);
    if (req.method === 'DELETE') webhooks.remove(name, key);
    else if (!webhooks.set(name, session, key, parsed.data.webHookUrl)) return void res.status(429).end();
    res.status(200).end();
  };
  router.post('/api/v3/webhook', json, hook);
  router.patch('/api/v3/webhook', json, hook);
  router.delete('/api/v3/webhook', json, hook);

  router.use((_req, res) => void res.status(404).end());
  return router;
}
