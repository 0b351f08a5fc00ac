import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { SESSION_COOKIE } from './session-cookie';
import { findSessionUser, type SessionUser } from './sessions';

export interface RequestSession {
  token: string;
  user: SessionUser;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's session; set on every route behind requireSession. */
    session: RequestSession | null;
  }
}

/** An `onRequest` hook: 401 unless the session cookie names a live session. */
export function requireSession(db: Kysely<Database>) {
  return async function checkSession(request: FastifyRequest, reply: FastifyReply) {
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await findSessionUser(db, token) : null;
    if (!token || !user) return reply.code(401).send({ message: 'not logged in' });
    request.session = { token, user };
  };
}
