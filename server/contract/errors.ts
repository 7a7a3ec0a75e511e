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
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  shutting_down: 503,
} as const;
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
    issues: z.array(issueSchema).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** An error meant for a client: thrown anywhere below the transport, turned into a body there. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: readonly Issue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.issues ? { issues: [...this.issues] } : {}) } };
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
