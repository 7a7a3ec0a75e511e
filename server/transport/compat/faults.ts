/**
 * Faults on demand for the compatible endpoints: a session whose profile has `http` answers some
 * requests with 429 or a 5xx (the typed error body, `Retry-After` on 429 and 503), and one in a
 * `stall` answers with what it said before (the last 200 of the same URL), as a stuck upstream
 * cache does. Runs in front of the feeds' own routes; they know nothing of it.
 */
import type { NextFunction, Request, Response } from 'express';
import { ApiError, type ErrorCode } from '../../contract/errors.ts';
import type { SessionFaults } from '../../faults/session-faults.ts';
import type { CompatSessions } from './sessions.ts';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  429: 'fault_rate_limited',
  500: 'fault_server_error',
  502: 'fault_bad_gateway',
  503: 'fault_unavailable',
  504: 'fault_gateway_timeout',
};
/** Answers remembered per session for stale replies: the feeds have a handful of URLs each. */
const MAX_REMEMBERED = 64;

interface Remembered {
  readonly type: string;
  readonly body: unknown;
}

export function compatFaults(sessions: CompatSessions, faults: SessionFaults) {
  const remembered = new Map<string, Map<string, Remembered>>();
  return (req: Request<{ feed: string; session: string }>, res: Response, next: NextFunction) => {
    let sessionId: string;
    let positionMs: number;
    try {
      const session = sessions.resolve(req.params.session);
      sessionId = session.id;
      positionMs = session.clock.positionMs;
    } catch {
      return next(); // the feed answers "not found" in its own way
    }
    const fault = faults.http(sessionId, positionMs);
    if (fault?.kind === 'status') {
      const error = new ApiError(CODE_BY_STATUS[fault.status] ?? 'fault_unavailable', `injected fault: this session's fault profile answers ${fault.status}`);
      if (fault.status === 429 || fault.status === 503) error.retryAfterS = fault.retryAfterS;
      return next(error);
    }
    const key = req.originalUrl;
    const cache = remembered.get(sessionId);
    const stale = fault?.kind === 'stale' ? cache?.get(key) : undefined;
    if (stale) {
      res.setHeader('X-Sim-Fault', 'stall');
      res.type(stale.type).send(stale.body);
      return;
    }
    if (req.method === 'GET' && faults.canStall(sessionId)) {
      const send = res.send.bind(res);
      res.send = (body?: unknown) => {
        if (res.statusCode === 200) {
          let map = remembered.get(sessionId);
          if (!map) remembered.set(sessionId, (map = new Map()));
          if (map.size >= MAX_REMEMBERED && !map.has(key)) map.delete(map.keys().next().value!);
          map.set(key, { type: String(res.getHeader('content-type') ?? 'application/json'), body });
        }
        return send(body);
      };
    }
    if (remembered.size > 1000) remembered.clear();
    next();
  };
}
