import { originalKey, type ObjectStore, type StoredObject } from '@gallery/storage';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { parseByteRange } from './byte-range';
import { ImageNotFoundError } from './errors';

export interface ObjectDeps {
  db: Kysely<Database>;
  store: ObjectStore;
}

export interface OriginalRead {
  object: StoredObject;
  /** Set for a ranged read: the bytes sent and the whole object's size. */
  range?: { start: number; end: number; total: number };
}

/** The original's bytes, whole or the one range the `Range` header asks for. */
export async function readOriginal(
  deps: ObjectDeps,
  id: string,
  rangeHeader: string | undefined,
): Promise<OriginalRead> {
  const image = await deps.db
    .selectFrom('images')
    .select('size')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!image) throw new ImageNotFoundError(id);
  const total = Number(image.size);
  const range = parseByteRange(rangeHeader, total);
  const object = await deps.store.get(originalKey(id), range ? { range } : {});
  return { object, range: range && { ...range, total } };
}

const THUMBNAIL_FILE = /^(\d{1,5})\.([a-z0-9]{1,10})$/;

/** A stored thumbnail by its file name, `<width>.<format>`, as listed in the image JSON. */
export async function readThumbnail(
  deps: ObjectDeps,
  id: string,
  file: string,
): Promise<StoredObject> {
  const match = THUMBNAIL_FILE.exec(file);
  if (!match) throw new ImageNotFoundError(id);
  const thumbnail = await deps.db
    .selectFrom('thumbnails')
    .select('key')
    .where('image_id', '=', id)
    .where('width', '=', Number(match[1]))
    .where('format', '=', match[2])
    .executeTakeFirst();
  if (!thumbnail) throw new ImageNotFoundError(id);
  return deps.store.get(thumbnail.key);
}
