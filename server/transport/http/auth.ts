import type { Request } from 'express';
import { ApiError } from '../../contract/errors.ts';
import { instructor, type Actor } from '../../sessions/rules.ts';
import type { Session } from '../../sessions/session.ts';

/** Reads `Authorization: Bearer <instructorToken>`; the rules decide what it admits. */
export function actorOf(req: Request, session: Session): Actor {
  const header = req.get('authorization');
  if (!header) throw new ApiError('unauthorized', "this needs the session's instructor token: Authorization: Bearer <instructorToken>");
  const match = /^Bearer\s+(\S{1,256})$/i.exec(header);
  if (!match) throw new ApiError('forbidden', 'the instructor token does not match this session');
  return instructor(session, match[1]);
}
