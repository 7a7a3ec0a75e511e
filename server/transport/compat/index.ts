/**
 * The compatible feeds under `/compat`: each real alert API below its own prefix and a session
 * id, so an existing app is pointed at the simulator by its base URL alone.
 */
import { Router } from 'express';
import type { SessionRegistry } from '../../sessions/registry.ts';
import type { CompatAccessOptions } from './access.ts';
import { alertsComUaRoutes } from './alerts-com-ua.ts';
import { alertsInUaRoutes } from './alerts-in-ua.ts';
import { CompatSessions, type DefaultSessionOptions } from './sessions.ts';
import { ukrainealarmRoutes } from './ukrainealarm.ts';
import type { SessionFaults } from '../../faults/session-faults.ts';
import { compatFaults } from './faults.ts';

export interface CompatOptions extends CompatAccessOptions {
  readonly defaultSession?: DefaultSessionOptions;
  /** ukrainealarm webhooks: deliver (default) or only register (`COMPAT_WEBHOOKS=off`). */
  readonly webhooks?: boolean;
  /** True once the server is shutting down: open event streams end so the server can close. */
  readonly isShuttingDown?: () => boolean;
  /** Faults on demand: injected 429/5xx and stale answers for sessions that ask for them. */
  readonly faults?: SessionFaults;
  /** The server's webhook queue, for the ukrainealarm webhooks. */
  readonly queue?: (delivery: { id: string; webhookId: string; url: string; body: string }) => void;
}

export const COMPAT_PREFIXES = ['alerts-in-ua', 'ukrainealarm', 'alerts-com-ua'] as const;

export function compatRoutes(registry: SessionRegistry, options: CompatOptions = {}): Router {
  const sessions = new CompatSessions(registry, options.defaultSession);
  const router = Router();
  if (options.faults) router.use('/:feed/:session', compatFaults(sessions, options.faults));
  router.use('/alerts-in-ua/:session', alertsInUaRoutes(sessions, options));
  router.use('/ukrainealarm/:session', ukrainealarmRoutes(sessions, options));
  router.use('/alerts-com-ua/:session', alertsComUaRoutes(sessions, options));
  return router;
}
