import { z } from 'zod';
import { InvalidCursorError } from './errors';
import { isImageId } from './image-id';

/** Where a page ends in the list order (created_at desc, id desc). */
export interface ListPosition {
  createdAt: Date;
  id: string;
}

const encoded = z.tuple([z.iso.datetime(), z.string().refine(isImageId)]);

/** Opaque to clients: base64url of the last item's creation time and id. */
export function encodeCursor({ createdAt, id }: ListPosition): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (cause) {
    throw new InvalidCursorError('invalid cursor', { cause });
  }
  const result = encoded.safeParse(parsed);
  if (!result.success) throw new InvalidCursorError('invalid cursor', { cause: result.error });
  const [createdAt, id] = result.data;
  return { createdAt: new Date(createdAt), id };
}
