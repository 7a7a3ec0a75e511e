/**
 * Who may call a compatible feed, and how often: each real service's own rules, answered the
 * way that service answers, so an app's error handling meets what it will meet in production.
 *
 * Tokens: a request without one is always refused, as the real services refuse it. Any token is
 * accepted unless a list is configured (`COMPAT_TOKENS`), which makes every prefix refuse the
 * others. Rate limits: the real services' limits when asked for (`COMPAT_RATE_LIMITS=on`); off by
 * default so test suites run fast, with a generous per-address guard left in place so that a
 * runaway loop still cannot flood the server.
 */
import type { Request, RequestHandler, Response } from 'express';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

export interface CompatAccessOptions {
  /** Tokens accepted on every prefix; empty or absent: any token. */
  readonly tokens?: readonly string[];
  /** Apply the real services' rate limits. */
  readonly realRateLimits?: boolean;
}

export interface Limit {
  /** Counted per client address or per token. */
  readonly per: 'address' | 'token';
  readonly points: number;
  readonly durationS: number;
  /** Only requests this matches count (e.g. history endpoints); all when absent. */
  readonly applies?: (req: Request) => boolean;
}

export interface Dialect {
  /** The token as this service takes it; undefined when the request carries none. */
  readonly token: (req: Request) => string | undefined;
  /** Answers a request without a token (`missing`) or with one not on the list. */
  readonly refuseToken: (res: Response, missing: boolean) => void;
  /** Answers a request over a limit; `retryS` seconds until it would pass. */
  readonly refuseRate: (res: Response, retryS: number, limit: Limit) => void;
  readonly limits: readonly Limit[];
}

/** When the real limits are off: per address, far above any app's polling, far below a flood. */
export const GUARD_LIMIT: Limit = { per: 'address', points: 1200, durationS: 60 };

export function access(dialect: Dialect, options: CompatAccessOptions): RequestHandler {
  const allowed = options.tokens && options.tokens.length > 0 ? new Set(options.tokens) : undefined;
  const limits = (options.realRateLimits ? dialect.limits : [GUARD_LIMIT]).map((limit) => ({
    limit,
    limiter: new RateLimiterMemory({ points: limit.points, duration: limit.durationS }),
  }));
  return (req, res, next) => {
    const token = dialect.token(req);
    if (token === undefined || token === '') return dialect.refuseToken(res, true);
    if (allowed && !allowed.has(token)) return dialect.refuseToken(res, false);
    const due = limits.filter(({ limit }) => !limit.applies || limit.applies(req));
    const address = req.socket.remoteAddress ?? 'unknown';
    Promise.all(due.map(({ limit, limiter }) => limiter.consume(limit.per === 'address' ? address : `t:${token}`).then(() => undefined, (refusal: unknown) => ({ refusal, limit })))).then(
      (results) => {
        const over = results.find((r) => r !== undefined);
        if (!over) return next();
        const ms = over.refusal instanceof RateLimiterRes ? over.refusal.msBeforeNext : 1000;
        dialect.refuseRate(res, Math.max(1, Math.ceil(ms / 1000)), over.limit);
      },
      next,
    );
  };
}

/** The value of `Authorization: Bearer <token>`, or undefined. */
export function bearer(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  return match?.[1];
}
