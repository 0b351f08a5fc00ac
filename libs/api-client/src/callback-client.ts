import type { Processor, TagsCallback, ThumbnailsCallback } from '@gallery/message-schema';
import { ApiClientError } from './errors';
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryPolicy } from './retry';
import { signRequest } from './signature';

/** `'accepted'`: the API stored it; `'gone'`: the image was deleted meanwhile, nothing to do. */
export type CallbackOutcome = 'accepted' | 'gone';

export interface CallbackClientOptions {
  baseUrl: string;
  /** This worker's own callback secret. */
  secret: string;
  fetch?: typeof fetch;
  retry?: RetryPolicy;
}

const PATHS: Record<Processor, string> = { thumbnail: 'thumbnails', tags: 'tags' };

/**
 * A worker's way back to the API: signed, idempotent PUTs, retried with backoff and jitter
 * on network errors, 429 and 5xx. Other 4xx are permanent (the request itself is wrong).
 */
export function createCallbackClient(options: CallbackClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const retry = options.retry ?? DEFAULT_RETRY;

  async function put(
    processor: Processor,
    imageId: string,
    payload: unknown,
    correlationId?: string,
  ): Promise<CallbackOutcome> {
    const url = `${options.baseUrl.replace(/\/$/, '')}/internal/images/${encodeURIComponent(imageId)}/${PATHS[processor]}`;
    const body = JSON.stringify(payload);
    let lastError: unknown;
    for (let attempt = 0; attempt < retry.attempts; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(retry, attempt));
      try {
        const headers = await signRequest(options.secret, body);
        const response = await doFetch(url, {
          method: 'PUT',
          headers: {
            'content-type': 'application/json',
            ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
            ...headers,
          },
          body,
        });
        await response.body?.cancel();
        if (response.ok) return 'accepted';
        if (response.status === 404 || response.status === 410) return 'gone';
        if (response.status !== 429 && response.status < 500) {
          throw new ApiClientError(
            `callback rejected with ${response.status}`,
            response.status,
            true,
          );
        }
        lastError = new ApiClientError(
          `callback failed with ${response.status}`,
          response.status,
          false,
        );
      } catch (error) {
        if (error instanceof ApiClientError && error.permanent) throw error;
        lastError = error;
      }
    }
    throw new ApiClientError(
      `callback to ${url} failed after ${retry.attempts} attempts`,
      undefined,
      false,
      {
        cause: lastError,
      },
    );
  }

  // The correlation id goes along as `x-correlation-id`, so the API's logs carry it.
  return {
    putThumbnails: (imageId: string, payload: ThumbnailsCallback, correlationId?: string) =>
      put('thumbnail', imageId, payload, correlationId),
    putTags: (imageId: string, payload: TagsCallback, correlationId?: string) =>
      put('tags', imageId, payload, correlationId),
  };
}

export type CallbackClient = ReturnType<typeof createCallbackClient>;
