/**
 * Every error the simulator gives a client, REST or socket: `{ error: { code, message, issues? } }`.
 * Codes are stable and documented; messages are for people.
 */
import { z } from 'zod';

export const ERROR_CODES = {
  invalid_request: 400,
  invalid_json: 400,
  invalid_scenario: 400,
  invalid_control: 400,
  invalid_handshake: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  session_not_found: 404,
  scenario_not_found: 404,
  method_not_allowed: 405,
  scenario_exists: 409,
  /** A trainee answered while its region is not under alert: nothing to answer. */
  no_open_alert: 409,
  /** A trainee answered the same alert twice. */
  already_answered: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  /** A per-address or per-session allowance is used up (sessions, injects, join attempts). */
  quota_exceeded: 429,
  internal: 500,
  /** The server is at a limit it shares among everyone (sessions, connections, parsing). */
  server_busy: 503,
  shutting_down: 503,
  /** With several nodes: the session's owner is gone and no other node has taken it over yet. */
  session_moving: 503,
  /** The memory set aside for uploaded scenarios is full. */
  storage_full: 507,
  /** Faults on demand (a session's fault profile): the compatible endpoints' injected failures. */
  fault_rate_limited: 429,
  fault_server_error: 500,
  fault_bad_gateway: 502,
  fault_unavailable: 503,
  fault_gateway_timeout: 504,
} as const;

/** Issues a failed validation returns at most; `issueCount` says how many there were. */
export const MAX_ISSUES = 100;
export type ErrorCode = keyof typeof ERROR_CODES;

export const issueSchema = z.object({
  path: z.string(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});
export type Issue = z.infer<typeof issueSchema>;

export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    message: z.string(),
    issues: z.array(issueSchema).max(MAX_ISSUES).optional(),
    /** How many issues there were in all, when more than `issues` lists. */
    issueCount: z.number().int().optional(),
    /** Seconds after which trying again may succeed (also the `Retry-After` header). */
    retryAfterS: z.number().int().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** An error meant for a client: thrown anywhere below the transport, turned into a body there. */
export class ApiError extends Error {
  /** Seconds after which the same request may succeed; sent as `Retry-After`. */
  retryAfterS: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: readonly Issue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** A refusal for lack of capacity: says when to come back. */
  static busy(code: ErrorCode, message: string, retryAfterS: number): ApiError {
    const error = new ApiError(code, message);
    error.retryAfterS = Math.max(1, Math.ceil(retryAfterS));
    return error;
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    const issues = this.issues;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(issues ? { issues: issues.slice(0, MAX_ISSUES) } : {}),
        ...(issues && issues.length > MAX_ISSUES ? { issueCount: issues.length } : {}),
        ...(this.retryAfterS === undefined ? {} : { retryAfterS: this.retryAfterS }),
      },
    };
  }
}

/** Turns zod issues into the contract's issues, with JSON paths such as `events[3].region`. */
export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({
    path: i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : n === 0 ? String(p) : `.${String(p)}`)).join(''),
    message: i.message,
  }));
}

/** Parses `value` or throws an ApiError with every issue. */
export function parseOr<T extends z.ZodType>(schema: T, value: unknown, code: ErrorCode, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = zodIssues(result.error);
  const first = issues[0];
  throw new ApiError(code, `invalid ${what}${first ? `: ${first.path ? `${first.path}: ` : ''}${first.message}` : ''}`, issues);
}
