/**
 * `/api/sessions/:id/faults`: what a session's feed is made to do wrong. `GET` (anyone who can
 * watch) reports the profile and what it has done so far, so a test knows what it asked for;
 * `PUT` (the instructor) sets a profile, `DELETE` clears it.
 */
import express, { Router } from 'express';
import { parseOr } from '../../contract/errors.ts';
import { faultProfileSchema } from '../../contract/faults.ts';
import type { SessionFaults } from '../../faults/session-faults.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import { authorize } from '../../sessions/rules.ts';
import { actorOf } from './auth.ts';
import { declaredBodyLimit } from './errors.ts';

const FAULT_BODY_LIMIT = 16 * 1024;

export function faultRoutes(registry: SessionRegistry, faults: SessionFaults): Router {
  const router = Router({ mergeParams: true });
  router.use(declaredBodyLimit(FAULT_BODY_LIMIT));
  const json = express.json({ limit: FAULT_BODY_LIMIT });
  router.get('/', (req: express.Request<{ id: string }>, res) => {
    res.json(faults.report(registry.require(req.params.id).id));
  });
  router.put('/', json, (req: express.Request<{ id: string }>, res) => {
    const session = registry.require(req.params.id);
    authorize(actorOf(req, session), 'faults', session);
    const profile = parseOr(faultProfileSchema, req.body ?? {}, 'invalid_request', 'fault profile');
    res.json(faults.set(session.id, profile));
  });
  router.delete('/', (req: express.Request<{ id: string }>, res) => {
    const session = registry.require(req.params.id);
    authorize(actorOf(req, session), 'faults', session);
    res.json(faults.set(session.id, null));
  });
  return router;
}
