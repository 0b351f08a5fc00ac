import { RedriveInProgressError, type DeadLetters } from '@gallery/messaging';
import { failureList, redriveResult } from '@gallery/message-schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

export interface FailureRoutesDeps {
  /** Unset where the dead letters are SQS queues and DEAD_LETTER_QUEUES does not name them. */
  deadLetters?: DeadLetters;
}

const failure = z.object({ message: z.string() });

export const DEAD_LETTERS_IN_SQS =
  'dead letters are in SQS: set DEAD_LETTER_QUEUES to see and redrive them here';

/** Dead-lettered events under `/admin/failures`: to see them, and to send them back. */
export function failureRoutes({ deadLetters }: FailureRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin/failures',
      { schema: { response: { 200: failureList, 501: failure } } },
      async (_request, reply) => {
        if (!deadLetters) return reply.code(501).send({ message: DEAD_LETTERS_IN_SQS });
        return { items: await deadLetters.list() };
      },
    );

    app.post(
      '/admin/failures/redrive',
      {
        schema: {
          response: { 200: redriveResult, 409: failure, 501: failure },
        },
      },
      async (_request, reply) => {
        if (!deadLetters) return reply.code(501).send({ message: DEAD_LETTERS_IN_SQS });
        try {
          return { moved: await deadLetters.redrive() };
        } catch (error) {
          // An earlier redrive is still moving messages: ask again once it has finished.
          if (error instanceof RedriveInProgressError) {
            return reply.code(409).send({ message: error.message });
          }
          throw error;
        }
      },
    );
  };
}
