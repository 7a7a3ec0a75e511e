/**
 * Scenarios over REST. Uploads are refused by the cheap checks (size, room, quota, a taken id)
 * before their body is read, then read in the parse pool, off the event loop. A scenario is
 * served a page of events at a time, so that one GET of a large night is neither an 85 MB body
 * nor a second of serialization on the loop.
 */
import express, { Router } from 'express';
import { ApiError } from '../../contract/errors.ts';
import type { ParsePool } from '../../scenario/parse-pool.ts';
import type { ScenarioStore } from '../../scenario/store.ts';
import { declaredBodyLimit } from './errors.ts';

const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** Largest upload: 50 times the seed night's 80 KB, and what the upload budget can fill. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
/**
 * Events per page of `GET /api/scenarios/:id`: the seed night (about 800) fits in one, and a page
 * (about 400 KB) serializes in a few ms, where a whole 345,000-event night took 1.6 s.
 */
export const EVENTS_PAGE_LIMIT = 2_000;

export interface ScenarioRouteOptions {
  readonly scenarios: ScenarioStore;
  readonly parsePool: ParsePool;
}

function pageParam(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n > max) throw new ApiError('invalid_request', `${name} must be a whole number from 0 to ${max}`);
  return n;
}

export function scenarioRoutes({ scenarios, parsePool }: ScenarioRouteOptions): Router {
  const router = Router();

  router.get('/', (_req, res) => {
    res.json(scenarios.list());
  });

  router.get('/:id', (req, res) => {
    const { scenario } = scenarios.require(req.params.id);
    const total = scenario.events.length;
    const offset = pageParam(req.query.offset, 'offset', 0, total);
    const limit = pageParam(req.query.limit, 'limit', EVENTS_PAGE_LIMIT, EVENTS_PAGE_LIMIT) || EVENTS_PAGE_LIMIT;
    const end = Math.min(total, offset + limit);
    res.json({
      ...scenario,
      events: scenario.events.slice(offset, end),
      eventsPage: { offset, limit, total, ...(end < total ? { nextOffset: end } : {}) },
    });
  });

  router.post(
    '/',
    declaredBodyLimit(MAX_UPLOAD_BYTES),
    (req, _res, next) => {
      // Room and quota before a byte of the body is read.
      scenarios.admitUpload(req.ip ?? 'unknown', Number(req.get('content-length')) || 0);
      next();
    },
    express.text({ type: ['application/json', ...YAML_TYPES], limit: MAX_UPLOAD_BYTES }),
    async (req, res) => {
      const type = req.get('content-type') ?? '';
      const format = req.is('application/json') ? 'json' : YAML_TYPES.some((t) => req.is(t)) ? 'yaml' : undefined;
      if (!format) throw new ApiError('unsupported_media_type', `send the scenario as application/json or application/yaml, not ${type || 'no content type'}`);
      const text = typeof req.body === 'string' ? req.body : '';
      const { scenario, deleteToken } = await scenarios.upload({ text, format }, parsePool, req.ip ?? 'unknown');
      res.status(201).location(`/api/scenarios/${scenario.id}`).json({ id: scenario.id, deleteToken });
    },
  );

  router.delete('/:id', async (req, res) => {
    const match = /^Bearer\s+(\S{1,256})$/i.exec(req.get('authorization') ?? '');
    await scenarios.deleteUpload(req.params.id, match?.[1]);
    res.status(204).end();
  });

  return router;
}
