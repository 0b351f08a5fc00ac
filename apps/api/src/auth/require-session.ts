import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { SESSION_COOKIE } from './session-cookie';
import { findSession, type SessionUser } from './sessions';

export interface RequestSession {
  token: string;
  /** The session's id (what its user sees of it). */
  id: string;
  user: SessionUser;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's session; set on every route behind requireSession. */
    session: RequestSession | null;
  }
}

/** An `onRequest` hook: 401 unless the session cookie names a live session of an enabled user. */
export function requireSession(db: Kysely<Database>) {
  return async function checkSession(request: FastifyRequest, reply: FastifyReply) {
    const token = request.cookies[SESSION_COOKIE];
    const found = token ? await findSession(db, token) : null;
    if (!token || !found) return reply.code(401).send({ message: 'not logged in' });
    request.session = { token, ...found };
  };
}

/** The caller, on a route behind requireSession. */
export function sessionOf(request: FastifyRequest): RequestSession {
  if (!request.session) throw new Error('route registered without requireSession');
  return request.session;
}

/**
 * An `onRequest` hook after requireSession: 403 unless the caller is an administrator. It
 * answers before any id in the path is looked at, so a member learns nothing of what exists.
 */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  if (sessionOf(request).user.role !== 'admin') {
    return reply.code(403).send({ message: 'only an administrator may do this' });
  }
}
