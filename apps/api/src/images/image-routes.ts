import { imagePage, imageView } from '@gallery/message-schema';
import type { ObjectStore, StoredObject } from '@gallery/storage';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/schema';
import { sessionOf } from '../auth/require-session';
import { closeLingeringWhenBodyUnread } from '../http/lingering-close';
import { deleteImage } from './delete-image';
import { ImageNotFoundError, InvalidUploadError } from './errors';
import { isImageId } from './image-id';
import { imageName } from './image-name';
import { readOriginal, readThumbnail } from './image-objects';
import { findImageView } from './image-views';
import { LIST_ORDERS, listImages } from './list-images';
import { normalizeTagName } from './tag-names';
import { updateImage } from './update-image';
import { uploadImage } from './upload-image';

export interface ImageRoutesDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  nudgeOutbox(): void;
  maxUploadBytes: number;
}

const imageParams = z.object({ id: z.string() });
const failure = z.object({ message: z.string() });

/** An id that is not even well-formed names no image: 404, like an unknown one. */
function imageId(id: string): string {
  if (!isImageId(id)) throw new ImageNotFoundError(id);
  return id;
}

const IMMUTABLE = 'private, max-age=31536000, immutable';

/**
 * A refused upload's body is still read and thrown away after the answer, up to twice the
 * upload limit, so that the client sees the answer: any file the size limit lets through
 * (refused for its type or its content) is read to its end, and so is one refused for its
 * size up to three times the limit. Past that the server stops paying for bytes it throws away.
 */
const DISCARDED_UPLOAD_FACTOR = 2;

function sendObject(reply: FastifyReply, object: StoredObject) {
  return reply
    .header('content-type', object.contentType)
    .header('content-length', object.size)
    .send(object.body);
}

/** The image resource under `/images`; every route needs a session. */
export function imageRoutes(deps: ImageRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/images',
      {
        schema: {
          response: { 201: imageView, 400: failure, 413: failure, 415: failure, 422: failure },
        },
        onSend: closeLingeringWhenBodyUnread(DISCARDED_UPLOAD_FACTOR * deps.maxUploadBytes),
      },
      async (request, reply) => {
        if (!request.isMultipart()) {
          throw new InvalidUploadError('expected a multipart/form-data body with name and file');
        }
        const parts = request.parts({
          // One byte over the cap reaches the upload's own check, which answers 413.
          limits: { fileSize: deps.maxUploadBytes + 1, files: 1, fields: 5, fieldSize: 4096 },
        });
        const view = await uploadImage({ ...deps, logger: request.log }, parts, {
          correlationId: request.id,
          ownerId: sessionOf(request).user.id,
        });
        // The request id is the event's correlation id: this line starts the image's trail.
        request.log.info({ imageId: view.id, correlationId: request.id }, 'image uploaded');
        return reply.code(201).send(view);
      },
    );

    app.get(
      '/images',
      {
        schema: {
          querystring: z.object({
            limit: z.coerce.number().int().min(1).max(100).default(50),
            cursor: z.string().min(1).max(200).optional(),
            // An empty tag is no filter.
            tag: z
              .string()
              .max(100)
              .transform((tag) => normalizeTagName(tag) || undefined)
              .optional(),
            order: z.enum(LIST_ORDERS).default('uploaded'),
            album: z.uuid().optional(),
            // Words every image listed must have; none (or only punctuation) is no filter.
            q: z.string().max(200).optional(),
          }),
          response: { 200: imagePage },
        },
      },
      async (request) => listImages(deps.db, request.query),
    );

    app.get(
      '/images/:id',
      { schema: { params: imageParams, response: { 200: imageView, 404: failure } } },
      async (request) => {
        const view = await findImageView(deps.db, imageId(request.params.id));
        if (!view) throw new ImageNotFoundError(request.params.id);
        return view;
      },
    );

    app.patch(
      '/images/:id',
      {
        schema: {
          params: imageParams,
          // Strict: a misspelt field is an error, not a silent no-op.
          body: z.strictObject({
            name: imageName.optional(),
            tags: z.array(z.string().max(100)).max(100).optional(),
          }),
          response: { 200: imageView, 400: failure, 404: failure },
        },
      },
      async (request) =>
        updateImage(deps, sessionOf(request).user, imageId(request.params.id), request.body),
    );

    app.delete('/images/:id', { schema: { params: imageParams } }, async (request, reply) => {
      await deleteImage(
        { ...deps, logger: request.log },
        sessionOf(request).user,
        imageId(request.params.id),
      );
      return reply.code(204).send();
    });

    app.get('/images/:id/original', { schema: { params: imageParams } }, async (request, reply) => {
      const id = imageId(request.params.id);
      const { object, range } = await readOriginal(deps, id, request.headers.range);
      // Served as a download-safe document: never the user's file name, never active content.
      reply
        .header('content-disposition', `inline; filename="${id}"`)
        .header('content-security-policy', 'sandbox')
        .header('cache-control', 'private, max-age=0, must-revalidate')
        .header('accept-ranges', 'bytes');
      if (range) {
        reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${range.total}`);
      }
      return sendObject(reply, object);
    });

    app.get(
      '/images/:id/thumbnails/:file',
      { schema: { params: z.object({ id: z.string(), file: z.string() }) } },
      async (request, reply) => {
        const object = await readThumbnail(deps, imageId(request.params.id), request.params.file);
        // A thumbnail is one of our own encodings, yet opened alone it must run nothing either.
        reply.header('cache-control', IMMUTABLE).header('content-security-policy', 'sandbox');
        return sendObject(reply, object);
      },
    );
  };
}
