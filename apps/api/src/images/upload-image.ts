import type { MultipartFile, Multipart } from '@fastify/multipart';
import { IMAGE_UPLOADED, type ImageView } from '@gallery/message-schema';
import { originalKey, type ObjectStore } from '@gallery/storage';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Database } from '../db/schema';
import { appendChange } from '../feed/append-change';
import { enqueueEvent } from '../outbox/enqueue';
import { InvalidUploadError } from './errors';
import { imageName } from './image-name';
import { imageUploadedEvent } from './image-uploaded-event';
import { findImageView } from './image-views';
import { inspectUpload } from './upload-inspector';

export interface UploadDeps {
  db: Kysely<Database>;
  store: ObjectStore;
  /** Wakes the outbox relay, so the new event goes out at once. */
  nudgeOutbox(): void;
  maxUploadBytes: number;
  logger: { warn(object: object, message: string): void };
}

const FORM_SHAPE = 'send one file, in a field named "file", and a "name" field';

/**
 * @fastify/multipart's own limits on the number of parts answer 413, yet such a form is not
 * too large but malformed: it has more parts than an upload consists of.
 */
const FORM_LIMIT_CODES = new Set(['FST_FILES_LIMIT', 'FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT']);

function isFormLimitError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    FORM_LIMIT_CODES.has(error.code)
  );
}

interface StoredOriginal {
  contentType: string;
  size: number;
}

/**
 * Takes a multipart upload (`name` and `file`, in either order): streams the file into the
 * store, then records the image, its `image.uploaded` event and its change in one
 * transaction. Whatever
 * fails after the first byte was stored, the object is deleted again.
 */
export async function uploadImage(
  deps: UploadDeps,
  parts: AsyncIterable<Multipart>,
  { correlationId, ownerId }: { correlationId: string; ownerId: string },
): Promise<ImageView> {
  const id = randomUUID();
  const key = originalKey(id);
  let name: string | undefined;
  let original: StoredOriginal | undefined;
  let view: ImageView;
  try {
    for await (const part of parts) {
      if (part.type === 'field') {
        if (part.fieldname !== 'name') continue;
        if (part.valueTruncated) throw new InvalidUploadError('name is too long');
        name = String(part.value);
      } else if (part.fieldname === 'file' && !original) {
        original = await storeOriginal(deps, key, part);
      } else {
        part.file.resume(); // an unexpected file: drain it so the next part can be read
      }
    }
    if (!original) throw new InvalidUploadError('the form has no file field');
    if (name === undefined) throw new InvalidUploadError('the form has no name field');
    const parsedName = imageName.safeParse(name);
    if (!parsedName.success) throw new InvalidUploadError(parsedName.error.issues[0].message);
    view = await recordUpload(deps.db, deps.store.bucket, {
      id,
      name: parsedName.data,
      original,
      correlationId,
      ownerId,
    });
  } catch (error) {
    await deps.store.delete(key).catch((cause: unknown) => {
      deps.logger.warn({ err: cause, key }, 'could not delete the original of a failed upload');
    });
    throw isFormLimitError(error) ? new InvalidUploadError(FORM_SHAPE, { cause: error }) : error;
  }
  deps.nudgeOutbox();
  return view;
}

async function storeOriginal(
  deps: UploadDeps,
  key: string,
  part: MultipartFile,
): Promise<StoredOriginal> {
  const inspector = inspectUpload(deps.maxUploadBytes);
  const piping = pipeline(part.file, inspector.stream);
  // Its failure also reaches the content type or the store's put, which report it.
  piping.catch(() => undefined);
  const contentType = await inspector.contentType;
  await deps.store.put(key, inspector.stream, { contentType });
  await piping;
  return { contentType, size: inspector.bytes() };
}

async function recordUpload(
  db: Kysely<Database>,
  bucket: string,
  upload: {
    id: string;
    name: string;
    original: StoredOriginal;
    correlationId: string;
    ownerId: string;
  },
): Promise<ImageView> {
  const createdAt = new Date();
  const event = imageUploadedEvent(
    bucket,
    {
      imageId: upload.id,
      contentType: upload.original.contentType,
      size: upload.original.size,
      uploadedAt: createdAt,
    },
    upload.correlationId,
  );
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('images')
      .values({
        id: upload.id,
        name: upload.name,
        content_type: upload.original.contentType,
        size: upload.original.size,
        created_at: createdAt,
        owner_id: upload.ownerId,
      })
      .execute();
    await enqueueEvent(trx, { type: IMAGE_UPLOADED, payload: event });
    const view = await findImageView(trx, upload.id);
    if (!view) throw new Error(`image ${upload.id} vanished inside its own transaction`);
    await appendChange(trx, { type: 'image.created', data: view });
    return view;
  });
}
