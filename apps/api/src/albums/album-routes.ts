import { albumView } from '@gallery/message-schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { sessionOf } from '../auth/require-session';
import type { Database } from '../db/schema';
import { NotFoundError, requireUuid } from '../http/request-errors';
import {
  changeAlbum,
  changeAlbumImages,
  createAlbum,
  deleteAlbum,
  findAlbumView,
  listAlbums,
} from './albums';

export interface AlbumRoutesDeps {
  db: Kysely<Database>;
}

const failure = z.object({ message: z.string() });
const albumParams = z.object({ id: z.string() });
const name = z.string().trim().min(1, 'an album needs a name').max(200);
const description = z.string().trim().max(2000);
/** As many images as a page of selection holds, and some. */
const imageIds = z.strictObject({ imageIds: z.array(z.uuid()).min(1).max(500) });

const albumId = (id: string) => requireUuid(id, `no album ${id}`);

/**
 * Albums under `/albums`: everyone signed in sees them all and makes their own; only an
 * album's owner or an administrator changes or deletes it (403). Its images are listed by
 * `GET /images?album=<id>`.
 */
export function albumRoutes(deps: AlbumRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/albums', { schema: { response: { 200: z.array(albumView) } } }, async () =>
      listAlbums(deps.db),
    );

    app.post(
      '/albums',
      {
        schema: {
          body: z.strictObject({ name, description: description.optional() }),
          response: { 201: albumView, 400: failure },
        },
      },
      async (request, reply) =>
        reply.code(201).send(await createAlbum(deps.db, sessionOf(request).user, request.body)),
    );

    app.get(
      '/albums/:id',
      { schema: { params: albumParams, response: { 200: albumView, 404: failure } } },
      async (request) => {
        const view = await findAlbumView(deps.db, albumId(request.params.id));
        if (!view) throw new NotFoundError(`no album ${request.params.id}`);
        return view;
      },
    );

    app.patch(
      '/albums/:id',
      {
        schema: {
          params: albumParams,
          body: z.strictObject({
            name: name.optional(),
            description: description.optional(),
            // null: back to the album's newest image.
            coverImageId: z.uuid().nullable().optional(),
          }),
          response: { 200: albumView, 400: failure, 403: failure, 404: failure },
        },
      },
      async (request) =>
        changeAlbum(deps.db, sessionOf(request).user, albumId(request.params.id), request.body),
    );

    app.delete('/albums/:id', { schema: { params: albumParams } }, async (request, reply) => {
      await deleteAlbum(deps.db, sessionOf(request).user, albumId(request.params.id));
      return reply.code(204).send();
    });

    for (const [method, action] of [
      ['post', 'add'],
      ['delete', 'remove'],
    ] as const) {
      app[method](
        '/albums/:id/images',
        {
          schema: {
            params: albumParams,
            body: imageIds,
            response: { 200: albumView, 400: failure, 403: failure, 404: failure },
          },
        },
        async (request) =>
          changeAlbumImages(
            deps.db,
            sessionOf(request).user,
            albumId(request.params.id),
            action,
            request.body.imageIds,
          ),
      );
    }
  };
}
