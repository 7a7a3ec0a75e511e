/**
 * Turns anything thrown while serving a request into the contract's typed error body, with the
 * status that fits. Nothing a client sends can make the server answer with a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../../contract/errors.ts';

/** body-parser's error types, mapped to the contract's codes. */
function fromBodyParser(error: { type?: string; message?: string; limit?: number }): ApiError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new ApiError('invalid_json', 'the request body is not valid JSON');
    case 'entity.too.large':
      return new ApiError('payload_too_large', `the request body is larger than ${error.limit} bytes`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new ApiError('unsupported_media_type', error.message ?? 'unsupported encoding');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new ApiError('invalid_request', error.message ?? 'the request body could not be read');
    default:
      return undefined;
  }
}

/** The router's own refusals: a path whose %-escapes do not decode (`%E0%A4%A`) is the client's mistake. */
function fromRouter(error: unknown): ApiError | undefined {
  if (error instanceof URIError) return new ApiError('invalid_request', 'the URL is not valid: a %-escape does not decode');
  const status = (error as { status?: unknown } | null)?.status;
  if (status === 400) return new ApiError('invalid_request', 'the request is malformed');
  return undefined;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const apiError =
      error instanceof ApiError
        ? error
        : (fromBodyParser(error as { type?: string }) ?? fromRouter(error) ?? new ApiError('internal', 'something went wrong on the server'));
    if (apiError.code === 'internal') logger.error({ err: error, url: req.originalUrl }, 'request failed');
    if (res.headersSent) return;
    if (apiError.retryAfterS !== undefined) res.setHeader('Retry-After', String(apiError.retryAfterS));
    res.status(apiError.status).json(apiError.toBody());
  };
}

/**
 * Refuses a body whose declared length passes `limit` before a byte of it is read, and closes
 * the connection after the answer. (The body parser alone reads an oversized body to its end
 * before it refuses it: twenty 19 MB uploads kept the event loop busy reading 380 MB.)
 */
export function declaredBodyLimit(limit: number): RequestHandler {
  return (req, res, next) => {
    const declared = Number(req.get('content-length'));
    if (!(declared > limit)) return next();
    res.setHeader('Connection', 'close');
    next(new ApiError('payload_too_large', `the request body is larger than ${limit} bytes`));
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('not_found', `no such endpoint: ${req.method} ${req.path}`));
};
