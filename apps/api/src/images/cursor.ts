import { z } from 'zod';
import { InvalidCursorError } from './errors';
import { isImageId } from './image-id';

/**
 * Where a page ends in the list order: (created_at desc, id desc), preceded by the date taken
 * when the list is in that order (null for an image without one).
 */
export interface ListPosition {
  createdAt: Date;
  id: string;
  takenAt?: string | null;
}

const encoded = z.union([
  z.tuple([z.iso.datetime(), z.string().refine(isImageId)]),
  z.tuple([
    z.iso.datetime(),
    z.string().refine(isImageId),
    z.iso.datetime({ local: true }).nullable(),
  ]),
]);

/** Opaque to clients: base64url of the last item's creation time and id (and date taken). */
export function encodeCursor({ createdAt, id, takenAt }: ListPosition): string {
  const position = [createdAt.toISOString(), id, ...(takenAt === undefined ? [] : [takenAt])];
  return Buffer.from(JSON.stringify(position)).toString('base64url');
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
  const [createdAt, id, takenAt] = result.data;
  return { createdAt: new Date(createdAt), id, ...(takenAt !== undefined && { takenAt }) };
}
