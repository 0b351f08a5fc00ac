import { signRequest } from '@gallery/api-client';
import type { TagsCallback, ThumbnailsCallback } from '@gallery/message-schema';
import { thumbnailKey } from '@gallery/storage';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';

export function thumbnailsDone(
  imageId: string,
  eventId = randomUUID(),
): Extract<ThumbnailsCallback, { status: 'done' }> {
  return {
    status: 'done',
    imageId,
    eventId,
    width: 4000,
    height: 3000,
    placeholder: 'YJqGPQw7sFlslqhFafSE+Q6oJ1h2iHB2Rw',
    thumbnails: [
      {
        width: 256,
        height: 192,
        format: 'webp',
        key: thumbnailKey(imageId, 256, 'webp'),
        size: 9000,
      },
      {
        width: 1024,
        height: 768,
        format: 'webp',
        key: thumbnailKey(imageId, 1024, 'webp'),
        size: 64000,
      },
    ],
  };
}

export function tagsDone(
  imageId: string,
  eventId = randomUUID(),
): Extract<TagsCallback, { status: 'done' }> {
  return {
    status: 'done',
    imageId,
    eventId,
    labeler: 'rekognition',
    tags: [
      { name: 'Beach', confidence: 97.5 },
      { name: 'Sea', confidence: 88 },
    ],
  };
}

/** A processor's report that it could not do its job. */
export function failed(
  imageId: string,
  error: string,
  eventId: string = randomUUID(),
): ThumbnailsCallback & TagsCallback {
  return { status: 'failed', imageId, eventId, error };
}

/** Sends a callback as a worker does: JSON, signed over the exact body. */
export async function sendCallback(
  app: FastifyInstance,
  imageId: string,
  processor: 'thumbnails' | 'tags',
  payload: unknown,
  {
    secret,
    headers = {},
    now,
  }: { secret?: string; headers?: Record<string, string>; now?: number },
) {
  const body = JSON.stringify(payload);
  const signature = secret === undefined ? {} : await signRequest(secret, body, { now });
  return app.inject({
    method: 'PUT',
    url: `/internal/images/${imageId}/${processor}`,
    headers: { 'content-type': 'application/json', ...signature, ...headers },
    payload: body,
  });
}
