/**
 * Cross-origin use, off by default: `CORS_ORIGINS` lists the origins (scheme, host and port, e.g.
 * `http://localhost:5173`) whose pages may call the REST API, the compatible feeds and the
 * socket.io endpoint. `*` allows any origin (credentials are never needed: tokens travel in
 * headers or the query, which is why the headers below are allowed).
 */
import cors from 'cors';
import type { RequestHandler } from 'express';

/** Headers the real services and this API read: tokens, conditional requests, uploads. */
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'X-API-Key', 'If-Modified-Since', 'Cache-Control', 'Last-Event-ID'];
/** Headers a page may read: caching and rate-limit answers. */
const EXPOSED_HEADERS = ['Last-Modified', 'Expires', 'Retry-After', 'Location', 'RateLimit', 'RateLimit-Policy'];

/** Parses `CORS_ORIGINS`: comma- or space-separated origins; empty means off. */
export function parseOrigins(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((o) => o.trim().replace(/\/+$/, ''))
    .filter(Boolean);
}

/** The socket.io server's `cors` option for the same origins, or undefined when off. */
export function socketCors(origins: readonly string[]): { origin: string | string[] } | undefined {
  if (origins.length === 0) return undefined;
  return { origin: origins.includes('*') ? '*' : [...origins] };
}

/** The middleware for the REST API and the feeds; a no-op when no origin is listed. */
export function corsMiddleware(origins: readonly string[]): RequestHandler {
  if (origins.length === 0) return (_req, _res, next) => next();
  return cors({
    origin: origins.includes('*') ? '*' : [...origins],
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ALLOWED_HEADERS,
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
  });
}
