import { randomUUID } from 'node:crypto';
import { JSON_STORED, type ImageView, type ProcessingStatus } from '@gallery/message-schema';
import { perProcessor } from '@gallery/processors';

/** Any field of an image, and any processor's status: the others are pending. */
export type ImageOverrides = Omit<Partial<ImageView>, 'status'> & {
  status?: Partial<ImageView['status']>;
};

let clock = Date.UTC(2026, 0, 1);

/**
 * A fresh image, each one created a second after the previous: newest is last made. Every
 * processor of the catalog is pending and has no result unless told otherwise.
 */
export function anImage({ status, ...overrides }: ImageOverrides = {}): ImageView {
  clock += 1_000;
  return {
    ...Object.fromEntries(JSON_STORED.map((name) => [name, null])),
    id: randomUUID(),
    name: 'holiday',
    contentType: 'image/jpeg',
    size: 123_456,
    width: null,
    height: null,
    createdAt: new Date(clock).toISOString(),
    status: { ...perProcessor((): ProcessingStatus => 'pending'), ...status },
    errors: {},
    tags: [],
    thumbnails: [],
    placeholder: null,
    addedBy: null,
    albums: [],
    ...overrides,
  } as ImageView;
}

export const tagged = (...names: string[]): ImageView['tags'] =>
  names.map((name) => ({ name, confidence: 90, source: 'local' }));
