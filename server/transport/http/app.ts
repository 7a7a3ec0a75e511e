/**
 * The HTTP side: the REST API of DESIGN.md §5 and the built page. Thin: it validates, calls the
 * registry or the scenario store, and serializes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { regionByCode } from '../../domain/regions/index.ts';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { ApiError } from '../../contract/errors.ts';
import { openApiDocument } from '../../contract/openapi.ts';
import { asyncApiDocument } from '../../contract/asyncapi.ts';
import type { Health } from '../../contract/wire.ts';
import type { ParsePool } from '../../scenario/parse-pool.ts';
import type { ScenarioStore } from '../../scenario/store.ts';
import type { SessionRegistry } from '../../sessions/registry.ts';
import type { CompatFeeds } from '../compat/index.ts';
import { capRoutes } from './routes-cap.ts';
import { corsMiddleware } from './cors.ts';
import { errorHandler, notFound } from './errors.ts';
import { regionRoutes } from './routes-regions.ts';
import { scenarioRoutes } from './routes-scenarios.ts';
import { sessionRoutes } from './routes-sessions.ts';
import { faultRoutes } from './routes-faults.ts';
import { webhookRoutes } from './routes-webhooks.ts';
import type { SessionWebhooks } from '../../webhooks/session-webhooks.ts';
import type { SessionFaults } from '../../faults/session-faults.ts';

export interface AppOptions {
  readonly registry: SessionRegistry;
  readonly scenarios: ScenarioStore;
  readonly parsePool: ParsePool;
  readonly logger: Logger;
  readonly version: string;
  readonly startedAtMs: number;
  readonly publicUrl?: string;
  /** Folder of the built page (Vite's output); served when it exists. */
  readonly clientDir?: string;
  /** REST requests per address per minute. */
  readonly requestsPerMinute?: number;
  /** Set while shutting down: new requests get 503. */
  readonly isShuttingDown?: () => boolean;
  /** The compatible feeds under /compat (compat/index.ts `compatFeeds`). */
  readonly compat: CompatFeeds;
  /** Origins whose pages may call the API and the feeds (`CORS_ORIGINS`); empty: none. */
  readonly corsOrigins?: readonly string[];
  /** Faults on demand per session (`/api/sessions/:id/faults`, and the compatible endpoints). */
  readonly faults?: SessionFaults;
  /** Webhooks of sessions (`/api/sessions/:id/webhooks`). */
  readonly webhooks?: SessionWebhooks;
  /** With several nodes: the calls other nodes make here, and requests passed to a session's owner. */
  readonly cluster?: { readonly nodeId: string; readonly internal: Router; readonly forward: RequestHandler };
}

/** Generous for a classroom behind one address, small enough that a loop cannot flood the server. */
export const DEFAULT_REQUESTS_PER_MINUTE = 1200;

export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Node-to-node calls, before the request log: they carry the nodes' shared secret.
  if (options.cluster) app.use('/internal/cluster', options.cluster.internal);
  app.use(pinoHttp({ logger: options.logger, autoLogging: { ignore: (req) => req.url === '/api/health' } }));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          // Behind plain http (a laptop in a classroom) upgrading would break every request.
          upgradeInsecureRequests: null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use((_req, _res, next) => next(options.isShuttingDown?.() ? new ApiError('shutting_down', 'the server is shutting down') : undefined));
  if (options.cluster) app.use(options.cluster.forward);

  const cors = corsMiddleware(options.corsOrigins ?? []);
  const api = express.Router();
  api.use(cors);
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: options.requestsPerMinute ?? DEFAULT_REQUESTS_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(ApiError.busy('rate_limited', 'too many requests from this address; try again in a minute', 60)),
    }),
  );
  api.get('/health', (_req, res) => {
    res.json({
      ok: true as const,
      version: options.version,
      uptimeS: Math.round((Date.now() - options.startedAtMs) / 1000),
      sessions: options.registry.size,
      ...(options.cluster ? { node: options.cluster.nodeId } : {}),
    } satisfies Health);
  });
  let openApi: string | undefined;
  api.get('/openapi.json', (_req, res) => {
    openApi ??= JSON.stringify(openApiDocument(options.version));
    res.type('application/json; charset=utf-8').send(openApi);
  });
  let asyncApi: string | undefined;
  api.get('/asyncapi.json', (_req, res) => {
    asyncApi ??= JSON.stringify(asyncApiDocument(options.version));
    res.type('application/json; charset=utf-8').send(asyncApi);
  });
  api.use('/scenarios', scenarioRoutes({ scenarios: options.scenarios, parsePool: options.parsePool }));
  // A trainee's phone finds its drill by the join code it was given; wrong codes are counted.
  api.get('/join/:code', (req, res) => {
    const session = options.registry.joinByCode(req.ip ?? 'unknown', req.params.code);
    const regions = (session.drill?.regions ?? []).map((code) => ({ code, name: regionByCode(code)?.name ?? { en: code } }));
    res.json({ sessionId: session.id, scenarioId: session.scenario.id, title: session.scenario.title, regions });
  });
  api.use('/regions', regionRoutes());
  api.use('/sessions/:id', capRoutes(options.registry, options.publicUrl));
  if (options.faults) api.use('/sessions/:id/faults', faultRoutes(options.registry, options.faults));
  if (options.webhooks) api.use('/sessions/:id/webhooks', webhookRoutes(options.registry, options.webhooks));
  api.use('/sessions', sessionRoutes({ registry: options.registry, ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}) }));
  api.use(notFound);
  app.use('/api', api);
  app.use('/compat', cors, options.compat.router);

  const clientDir = options.clientDir;
  if (clientDir && existsSync(join(clientDir, 'index.html'))) {
    app.use(express.static(clientDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
    // The page routes (/s/:id, /join/:code …) are the page's own: they all get index.html.
    app.get(/^\/(s|join|drill)(\/.*)?$/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(clientDir, 'index.html'));
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .type('text/plain; charset=utf-8')
        .send('air-raid-sim is running. The API is under /api (see README.md). The page is not built: run `npm run build`.\n');
    });
  }
  app.use(notFound);
  app.use(errorHandler(options.logger));
  return app;
}

function noCacheForHtml(res: express.Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
