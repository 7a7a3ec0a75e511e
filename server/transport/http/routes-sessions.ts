import express, { Router, type Request } from 'express';
import { ApiError, parseOr } from '../../contract/errors.ts';
import { controlSchema, createSessionSchema, type CreatedSession } from '../../contract/session.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import type { Session } from '../../sessions/session.ts';
import { drillReport } from '../../sessions/report.ts';
import { authorize } from '../../sessions/rules.ts';
import { actorOf } from './auth.ts';
import { declaredBodyLimit } from './errors.ts';
import { reportCsv } from './report.ts';

/** Bodies of session requests are small; anything bigger is refused before it is read. */
const SESSION_BODY_LIMIT = 16 * 1024;

export interface SessionRouteOptions {
  readonly registry: SessionRegistry;
  /** Base of the links handed out; without it links are relative (`/s/…`). */
  readonly publicUrl?: string;
}

/**
 * The base of the links handed out: PUBLIC_URL, or none (relative links). The request's `Host`
 * is the client's word and never goes into a link.
 */
export function baseUrl(_req: Request, publicUrl: string | undefined): string {
  return publicUrl ? publicUrl.replace(/\/+$/, '') : '';
}

export function created(session: Session, base: string): CreatedSession {
  return {
    id: session.id,
    kind: session.kind,
    scenarioId: session.scenario.id,
    joinCode: session.joinCode,
    instructorToken: session.instructorToken,
    links: {
      watch: `${base}/s/${session.id}`,
      // The token travels in the fragment, which browsers never send to a server or its logs.
      instructor: `${base}/s/${session.id}/instructor#token=${session.instructorToken}`,
      join: `${base}/join/${session.joinCode}`,
    },
    regions: session.drill?.regions ?? [],
  };
}

export function sessionRoutes({ registry, publicUrl }: SessionRouteOptions): Router {
  const router = Router();
  router.use(declaredBodyLimit(SESSION_BODY_LIMIT));
  const json = express.json({ limit: SESSION_BODY_LIMIT });

  router.post('/', json, async (req, res) => {
    const request = parseOr(createSessionSchema, req.body ?? {}, 'invalid_request', 'session request');
    const session = await registry.create(request, req.ip ?? 'unknown');
    // With several nodes, answered once every node can find it.
    await registry.registered(session.id);
    res.status(201).location(`/api/sessions/${session.id}`).json(created(session, baseUrl(req, publicUrl)));
  });

  router.get('/:id', (req, res) => {
    // A read does not keep a session alive: its viewers and its instructor's controls do.
    res.json(registry.require(req.params.id).snapshot());
  });

  router.post('/:id/control', json, (req, res) => {
    const session = registry.require(req.params.id);
    authorize(actorOf(req, session), 'control', session);
    const control = parseOr(controlSchema, req.body, 'invalid_control', 'control');
    const clock = session.control(control);
    res.json({ ...clock, seq: session.currentSeq });
  });

  router.get('/:id/report', (req, res) => {
    const session = registry.require(req.params.id);
    authorize(actorOf(req, session), 'report', session);
    const format = req.query.format ?? 'json';
    if (format !== 'json' && format !== 'csv') throw new ApiError('invalid_request', 'format must be json or csv');
    const report = drillReport(session, Date.now());
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`drill-${session.id}.csv`).send(reportCsv(report));
    } else res.json(report);
  });

  // What the console shows beside the map: the join code and links, and the regions offered.
  router.get('/:id/drill', (req, res) => {
    const session = registry.require(req.params.id);
    authorize(actorOf(req, session), 'roster', session);
    res.json(created(session, baseUrl(req, publicUrl)));
  });

  router.get('/:id/roster', (req, res) => {
    const session = registry.require(req.params.id);
    authorize(actorOf(req, session), 'roster', session);
    res.json(session.roster());
  });

  // The instructor erases the drill: sessions, trainees and answers, in memory and in the store.
  router.delete('/:id', async (req, res) => {
    const session = registry.require(req.params.id);
    authorize(actorOf(req, session), 'delete', session);
    await registry.erase(session);
    res.status(204).end();
  });

  return router;
}
