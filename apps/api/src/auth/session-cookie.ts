import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'gallery_session';

/** HttpOnly, SameSite=Strict, whole site; Secure whenever the request came over https. */
export function sessionCookieOptions(
  request: FastifyRequest,
  ttlHours: number,
): CookieSerializeOptions {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: Math.floor(ttlHours * 3600),
  };
}
