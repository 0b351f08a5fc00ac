import type { ImageView } from '@gallery/message-schema';
import type { Kysely } from 'kysely';
import type { SessionUser } from '../auth/sessions';
import { mustBeAllowed } from '../auth/ownership';
import type { Database } from '../db/schema';
import { appendChange } from '../feed/append-change';
import { EmptyPatchError, ImageNotFoundError } from './errors';
import { findImageView } from './image-views';
import { normalizeTagNames } from './tag-names';

export const MANUAL_TAG_SOURCE = 'manual';

export interface ImagePatch {
  /** Already trimmed and checked. */
  name?: string;
  /** Replaces every tag of the image, as manual tags. */
  tags?: string[];
}

export async function updateImage(
  deps: { db: Kysely<Database> },
  actor: SessionUser,
  id: string,
  patch: ImagePatch,
): Promise<ImageView> {
  // Refused rather than answered 200: it would announce an update that changed nothing.
  if (patch.name === undefined && patch.tags === undefined) throw new EmptyPatchError();
  const view = await deps.db.transaction().execute(async (trx) => {
    const image = await trx
      .selectFrom('images')
      .select(['id', 'owner_id'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!image) return null;
    mustBeAllowed(actor, image.owner_id, 'image');
    if (patch.name !== undefined) {
      await trx.updateTable('images').set({ name: patch.name }).where('id', '=', id).execute();
    }
    if (patch.tags !== undefined) {
      const names = normalizeTagNames(patch.tags);
      await trx.deleteFrom('image_tags').where('image_id', '=', id).execute();
      if (names.length > 0) {
        await trx
          .insertInto('image_tags')
          .values(
            names.map((name) => ({
              image_id: id,
              name,
              confidence: null,
              source: MANUAL_TAG_SOURCE,
            })),
          )
          .execute();
      }
    }
    const updated = await findImageView(trx, id);
    if (updated) await appendChange(trx, { type: 'image.updated', data: updated });
    return updated;
  });
  if (!view) throw new ImageNotFoundError(id);
  return view;
}
