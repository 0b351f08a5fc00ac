import { CALLBACKS } from '@gallery/message-schema';
import { CATALOG, type ProcessorName } from '@gallery/processors';
import type { ObjectStore } from '@gallery/storage';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { ImageNotFoundError } from '../images/errors';
import { isImageId } from '../images/image-id';
import { CallbackImageGoneError, InvalidCallbackError } from './errors';
import { recorderOf } from './recorders';
import { verifyCallback } from './verify-callback';

export interface CallbackRoutesDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  /** Per processor: the secrets accepted, current first, then the previous one. */
  callbackSecrets: Record<ProcessorName, readonly string[]>;
}

const CALLBACK_BODY_LIMIT = 1024 * 1024;
const params = z.object({ id: z.string() });

/**
 * The workers' way back: one `PUT /images/:id/<route>` per processor of the catalog, each
 * signed with its own processor's secret. No session; the signature is the credential.
 */
export function callbackRoutes(deps: CallbackRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // The signature covers the bytes as sent: keep them until it has been checked.
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser(
      'application/json',
      { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );

    for (const { name: processor, route } of CATALOG) {
      const record = recorderOf(processor);
      app.put(
        `/images/:id/${route}`,
        {
          preValidation: verifyCallback(deps.callbackSecrets[processor]),
          schema: { params, body: CALLBACKS[processor] },
        },
        async (request, reply) => {
          const id = callbackImageId(request.params.id, request.body.imageId);
          const recorded = await whileImageExists(id, () => record(deps, id, request.body));
          request.log.info(
            {
              processor,
              imageId: id,
              outcome: recorded.outcome,
              correlationId: request.headers['x-correlation-id'],
            },
            'callback recorded',
          );
          return reply.code(204).send();
        },
      );
    }
  };
}

/**
 * The image a callback is for: the path's, which the signed body must name too, so that a
 * signed request cannot be replayed onto another image's URL.
 */
function callbackImageId(pathId: string, bodyId: string): string {
  if (bodyId !== pathId) {
    throw new InvalidCallbackError(`the body is for image ${bodyId}, the path for ${pathId}`);
  }
  if (!isImageId(pathId)) throw new CallbackImageGoneError(pathId);
  return pathId;
}

/** An unknown or deleted image answers 410: the worker then drops the job, without retries. */
async function whileImageExists<T>(id: string, record: () => Promise<T>): Promise<T> {
  try {
    return await record();
  } catch (error) {
    if (error instanceof ImageNotFoundError) throw new CallbackImageGoneError(id, { cause: error });
    throw error;
  }
}
