/**
 * `GET /api/sessions/:id/cap.atom` (the session's CAP messages as an Atom feed) and
 * `GET /api/sessions/:id/cap/:identifier.xml` (one CAP 1.2 message).
 */
import { Router, type Request } from 'express';
import { ApiError } from '../../contract/errors.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import { capMessages } from '../cap/messages.ts';
import { capAtom, capXml, type CapContext } from '../cap/xml.ts';
import { viewOf } from '../compat/sessions.ts';
import { baseUrl } from './routes-sessions.ts';

export function capRoutes(registry: SessionRegistry, publicUrl: string | undefined): Router {
  const router = Router({ mergeParams: true });
  const read = (req: Request) => {
    const session = registry.require(String(req.params.id));
    session.touch();
    const view = viewOf(session);
    const base = `${baseUrl(req, publicUrl)}/api/sessions/${encodeURIComponent(session.id)}`;
    const ctx: CapContext = { clock: view.clock, urlOf: (identifier) => `${base}/cap/${encodeURIComponent(identifier)}.xml` };
    return { session, ctx, base, messages: capMessages(session.id, view.ledger) };
  };

  router.get('/cap.atom', (req, res) => {
    const { session, ctx, base, messages } = read(req);
    const atom = capAtom(messages, { id: `urn:air-raid-sim:session:${session.id}`, title: `air-raid-sim: ${session.scenario.title.en} (CAP)`, selfUrl: `${base}/cap.atom` }, ctx);
    res.set('Cache-Control', 'no-cache').type('application/atom+xml; charset=utf-8').send(atom);
  });

  router.get('/cap/:file', (req, res) => {
    const identifier = /^(.+)\.xml$/.exec(req.params.file)?.[1];
    const { ctx, messages } = read(req);
    const message = identifier ? messages.find((m) => m.identifier === identifier) : undefined;
    if (!message) throw new ApiError('not_found', 'this session has issued no CAP message with that identifier (yet); the Atom feed lists them');
    res.set('Cache-Control', 'no-cache').type('application/cap+xml; charset=utf-8').send(capXml(message, ctx));
  });
  return router;
}
