import type { Request } from 'express';
import { ApiError } from '../../contract/errors.ts';
import { sameSecret } from '../../sessions/participants.ts';
import type { Session } from '../../sessions/session.ts';

/** Requires `Authorization: Bearer <instructorToken>` of this session. */
export function requireInstructor(req: Request, session: Session): void {
  const header = req.get('authorization');
  if (!header) throw new ApiError('unauthorized', 'this needs the session\'s instructor token: Authorization: Bearer <instructorToken>');
  const match = /^Bearer\s+(\S{1,256})$/i.exec(header);
  if (!match || !sameSecret(match[1]!, session.instructorToken)) throw new ApiError('forbidden', 'the instructor token does not match this session');
}
