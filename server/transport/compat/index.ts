/**
 * The compatible feeds under `/compat`: each real alert API below its own prefix and a session
 * id, so an existing app is pointed at the simulator by its base URL alone. Made without side
 * effects; `restore` (once, at startup, after drills are resumed) attaches the webhook
 * registrations kept from an earlier run.
 */
import { Router } from 'express';
import type { Logger } from 'pino';
import type { WebhookDispatcher } from '../../webhooks/dispatcher.ts';
import type { CompatWebhookStore } from '../../webhooks/compat-store.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import type { CompatAccessOptions } from './access.ts';
import { alertsComUaRoutes } from './alerts-com-ua.ts';
import { alertsInUaRoutes } from './alerts-in-ua.ts';
import { CompatSessions, DEFAULT_SESSION, type DefaultSessionOptions, type SharedDefault } from './sessions.ts';
import { ukrainealarmRoutes, ukrainealarmWebhooks } from './ukrainealarm.ts';
import type { RestoreReport } from './webhooks.ts';
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
  /** The server's webhook queue, for the ukrainealarm webhooks (sent unsigned, as that service sends them). */
  readonly dispatcher?: Pick<WebhookDispatcher, 'enqueue'>;
  /** Where the ukrainealarm webhook registrations are kept across restarts; absent: in memory. */
  readonly hooks?: CompatWebhookStore;
  /** With several nodes: the one default session they share. */
  readonly sharedDefault?: SharedDefault;
}

export const COMPAT_PREFIXES = ['alerts-in-ua', 'ukrainealarm', 'alerts-com-ua'] as const;

export interface CompatFeeds {
  readonly router: Router;
  /** Attaches the stored webhook registrations to their sessions; reports in `logger`. */
  restore(logger?: Pick<Logger, 'info' | 'warn'>): RestoreReport;
  /** The default session's id, made if need be. */
  defaultSessionId(): string;
}

export function compatFeeds(registry: SessionRegistry, options: CompatOptions = {}): CompatFeeds {
  const sessions = new CompatSessions(registry, options.defaultSession, options.sharedDefault);
  const dispatcher = options.dispatcher;
  const queue = dispatcher && ((d: { id: string; webhookId: string; url: string; body: string }) => void dispatcher.enqueue({ ...d, secret: null }));
  const feedOptions = { ...options, ...(queue ? { queue } : {}) };
  const webhooks = ukrainealarmWebhooks(sessions, feedOptions);
  const router = Router();
  if (options.faults) router.use('/:feed/:session', compatFaults(sessions, options.faults));
  router.use('/alerts-in-ua/:session', alertsInUaRoutes(sessions, feedOptions));
  router.use('/ukrainealarm/:session', ukrainealarmRoutes(sessions, webhooks, feedOptions));
  router.use('/alerts-com-ua/:session', alertsComUaRoutes(sessions, feedOptions));
  return { router, restore: (logger) => webhooks.restore(logger), defaultSessionId: () => sessions.resolve(DEFAULT_SESSION).id };
}
