import { verifySignature } from '@gallery/api-client';
import type { FastifyRequest } from 'fastify';
import { InvalidCallbackError, UnauthenticatedCallbackError } from './errors';

/**
 * A `preValidation` hook for callback routes, whose JSON parser keeps the body as the raw
 * string: checks the signature over exactly those bytes with the route's own processor
 * secrets (current, then previous), and only then parses the JSON for validation.
 */
export function verifyCallback(secrets: readonly string[]) {
  return async function checkSignature(request: FastifyRequest) {
    const raw = typeof request.body === 'string' ? request.body : '';
    const verification = await verifySignature(secrets, request.headers, raw);
    if (!verification.ok) {
      throw new UnauthenticatedCallbackError(`callback refused: ${verification.reason}`);
    }
    try {
      request.body = JSON.parse(raw);
    } catch (cause) {
      throw new InvalidCallbackError('the body is not JSON', { cause });
    }
  };
}
