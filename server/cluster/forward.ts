/**
 * REST requests about a session another node runs are passed to that node as they came
 * (method, headers, body streamed), and its answer passed back: a client may send any request
 * to any node. Which requests: `/api/sessions/<id>/...`, `/compat/<feed>/<id or default>/...` and
 * `/api/join/<code>`. A request that
 * was already forwarded once is served where it lands, so two nodes never pass it back and forth.
 */
import { request } from 'node:http';
import type { RequestHandler } from 'express';
import { ApiError } from '../contract/errors.ts';
/** Marks a request one node passed to another. */
export const FORWARDED_HEADER = 'x-air-raid-sim-forwarded';

const SESSION_PATH = /^\/api\/sessions\/([^/?]+)|^\/compat\/[^/?]+\/([^/?]+)/;
const JOIN_PATH = /^\/api\/join\/([^/?]+)/;

export interface ForwardOptions {
  /** The compatible feeds' shared default session, if one was made. */
  readonly compatDefault: () => Promise<string | undefined>;
  /** True when the session runs here. */
  readonly isLocal: (sessionId: string) => boolean;
  /** The id a join code opens, across the nodes. */
  readonly sessionOfCode: (joinCode: string) => Promise<string | undefined>;
  /** The owner's URL; undefined when no such session exists; throws while it is moving. */
  readonly ownerUrl: (sessionId: string) => Promise<string | undefined>;
}

export function forwardToOwner(options: ForwardOptions): RequestHandler {
  return (req, res, next) => {
    if (req.get(FORWARDED_HEADER)) return next();
    const bySession = SESSION_PATH.exec(req.path);
    const byCode = bySession ? undefined : JOIN_PATH.exec(req.path);
    if (!bySession && !byCode) return next();
    const resolve = async (): Promise<string | undefined> => {
      const named = bySession ? decodeURIComponent(bySession[1] ?? bySession[2]!) : undefined;
      const id = named === 'default' && !bySession![1] ? await options.compatDefault() : (named ?? (await options.sessionOfCode(decodeURIComponent(byCode![1]!))));
      if (!id || options.isLocal(id)) return undefined;
      return options.ownerUrl(id);
    };
    resolve().then((target) => {
      if (!target) return next();
      const upstream = request(new URL(req.originalUrl, target), {
        method: req.method,
        headers: { ...req.headers, [FORWARDED_HEADER]: '1', 'x-forwarded-for': req.ip ?? '' },
      });
      upstream.on('response', (answer) => {
        res.status(answer.statusCode ?? 502);
        for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && name !== 'connection' && name !== 'transfer-encoding') res.setHeader(name, value);
        answer.pipe(res);
      });
      upstream.on('error', () => {
        if (!res.headersSent) next(ApiError.busy('session_moving', 'the server running this session did not answer; try again in a moment', 2));
      });
      req.pipe(upstream);
    }, next);
  };
}
