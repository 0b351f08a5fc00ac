import { imageView } from '@gallery/message-schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isImageId } from '../images/image-id';
import { reprocessImage, type ReprocessDeps } from '../images/reprocess-image';

const failure = z.object({ message: z.string() });

/**
 * `POST /admin/images/:id/reprocess`: the image's `image.uploaded` event again, for operators
 * (after a fix to a processor, or to retry what failed). 202: the processors run later.
 */
export function reprocessRoutes(deps: ReprocessDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/admin/images/:id/reprocess',
      {
        schema: {
          params: z.object({ id: z.string().refine(isImageId, 'not an image id') }),
          response: { 202: imageView, 400: failure, 404: failure },
        },
      },
      async (request, reply) => {
        const view = await reprocessImage(deps, request.params.id, request.id);
        return reply.code(202).send(view);
      },
    );
  };
}
