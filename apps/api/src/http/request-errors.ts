import { z } from 'zod';

/** Failures any resource may answer; the error handler maps each to its status. */

/** Signed in, but this is not theirs to change (403). */
export class NotAllowedError extends Error {
  override name = 'NotAllowedError';
}

/** No such thing (404): an unknown id, or one not well-formed. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** The request is well-formed but contradicts the current state (409). */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** The request asks for something impossible (400), beyond what its schema checks. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

/** An id from a path: one that is not even a UUID names nothing, so 404 like an unknown one. */
export function requireUuid(id: string, notFound: string): string {
  if (!z.uuid().safeParse(id).success) throw new NotFoundError(notFound);
  return id;
}
