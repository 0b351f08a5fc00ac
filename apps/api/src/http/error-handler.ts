import { InvalidRangeError, ObjectNotFoundError } from '@gallery/storage';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  EmptyPatchError,
  EmptyUploadError,
  ImageNotFoundError,
  InvalidCursorError,
  InvalidUploadError,
  MalformedImageError,
  RangeNotSatisfiableError,
  UnsupportedImageError,
  UploadTooLargeError,
} from '../images/errors';
import { BadRequestError, ConflictError, NotAllowedError, NotFoundError } from './request-errors';
import {
  CallbackImageGoneError,
  InvalidCallbackError,
  UnauthenticatedCallbackError,
} from '../internal/errors';

type ErrorClass = abstract new (...args: never[]) => Error;

/** Where each expected failure meets HTTP: the code below the routes knows nothing of it. */
const STATUS_BY_ERROR: ReadonlyArray<readonly [ErrorClass, number]> = [
  [BadRequestError, 400],
  [NotAllowedError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [InvalidUploadError, 400],
  [EmptyUploadError, 400],
  [EmptyPatchError, 400],
  [InvalidCursorError, 400],
  [InvalidCallbackError, 400],
  [UnauthenticatedCallbackError, 401],
  [ImageNotFoundError, 404],
  [ObjectNotFoundError, 404],
  [CallbackImageGoneError, 410],
  [UploadTooLargeError, 413],
  [UnsupportedImageError, 415],
  [MalformedImageError, 422],
  [RangeNotSatisfiableError, 416],
  [InvalidRangeError, 416],
];

const NOT_FOUND_MESSAGE = 'not found';

/** nginx's status for a request its client abandoned: in the log only, nobody reads it. */
const CLIENT_CLOSED_REQUEST = 499;

function statusOf(error: FastifyError): number {
  if (hasZodFastifySchemaValidationErrors(error)) return 400;
  const known = STATUS_BY_ERROR.find(([type]) => error instanceof type);
  if (known) return known[1];
  const status = error.statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/**
 * The one error handler: every failure answers `{ message }`. Client errors say what was
 * wrong and are logged at info; only server faults are logged at error, whole, and
 * answered without detail.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = statusOf(error);
  // A refused upload leaves its body unread and the socket paused: close the connection
  // rather than keep it (and a graceful shutdown) waiting for the rest of the body.
  if (!request.raw.complete) reply.header('connection', 'close');
  // The client went away before sending the whole body (an upload cancelled or cut off):
  // whatever failed next failed because of that, which is no fault of the server.
  if (request.raw.readableAborted) {
    request.log.info(
      { err: { name: error.name, message: error.message }, status: CLIENT_CLOSED_REQUEST },
      'request aborted by the client',
    );
    return reply.code(CLIENT_CLOSED_REQUEST).send({ message: 'request aborted' });
  }
  if (status >= 500) {
    request.log.error({ err: error }, 'request failed');
    return reply.code(status).send({ message: 'internal server error' });
  }
  request.log.info(
    { err: { name: error.name, message: error.message }, status },
    'request refused',
  );
  if (error instanceof RangeNotSatisfiableError) {
    reply.header('content-range', `bytes */${error.size}`);
  }
  const message =
    error instanceof ImageNotFoundError || error instanceof ObjectNotFoundError
      ? NOT_FOUND_MESSAGE
      : error.message;
  return reply.code(status).send({ message });
}
