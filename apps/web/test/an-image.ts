import { randomUUID } from 'node:crypto';
import type { ImageView } from '@gallery/message-schema';

let clock = Date.UTC(2026, 0, 1);

/** A fresh image, each one created a second after the previous: newest is last made. */
export function anImage(overrides: Partial<ImageView> = {}): ImageView {
  clock += 1_000;
  return {
    id: randomUUID(),
    name: 'holiday',
    contentType: 'image/jpeg',
    size: 123_456,
    width: null,
    height: null,
    createdAt: new Date(clock).toISOString(),
    status: { thumbnail: 'pending', tags: 'pending' },
    errors: {},
    tags: [],
    thumbnails: [],
    placeholder: null,
    ...overrides,
  };
}

export const tagged = (...names: string[]): ImageView['tags'] =>
  names.map((name) => ({ name, confidence: 90, source: 'local' }));
