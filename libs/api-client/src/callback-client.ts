import type { Processor, TagsCallback, ThumbnailsCallback } from '@gallery/message-schema';
import { ApiClientError } from './errors';
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryPolicy } from './retry';
import { signRequest } from './signature';

/** `'accepted'`: the API stored it; `'gone'`: the image was deleted meanwhile, nothing to do. */
export type CallbackOutcome = 'accepted' | 'gone';

export interface CallbackClientOptions {
  baseUrl: string;
  /** This worker's own callback secret, or a function that fetches it (read once, cached). */
  secret: string | (() => Promise<string>);
  fetch?: typeof fetch;
  retry?: RetryPolicy;
  /** How long one attempt may take. */
  timeoutMs?: number;
}

/** A callback body as a worker writes it: the client adds the image id it is sent for. */
type WithoutImageId<T> = T extends unknown ? Omit<T, 'imageId'> : never;
export type ThumbnailsReport = WithoutImageId<ThumbnailsCallback>;
export type TagsReport = WithoutImageId<TagsCallback>;

/**
 * Only a request the API finds malformed is permanent. A 401 or 404 usually means a
 * misconfigured secret or URL, which an operator fixes: retry, then dead-letter.
 */
const PERMANENT_STATUSES = new Set([400, 413, 415, 422]);

const PATHS: Record<Processor, string> = { thumbnail: 'thumbnails', tags: 'tags' };

/**
 * A worker's way back to the API: signed, idempotent PUTs, retried with backoff and jitter
 * on network errors, timeouts and every status but 410 (the image is gone) and the
 * permanent ones above.
 */
export function createCallbackClient(options: CallbackClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const retry = options.retry ?? DEFAULT_RETRY;

  async function put(
    processor: Processor,
    imageId: string,
    payload: ThumbnailsReport | TagsReport,
    correlationId?: string,
  ): Promise<CallbackOutcome> {
    const url = `${options.baseUrl.replace(/\/$/, '')}/internal/images/${encodeURIComponent(imageId)}/${PATHS[processor]}`;
    const body = JSON.stringify({ ...payload, imageId });
    let lastError: unknown;
    for (let attempt = 0; attempt < retry.attempts; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(retry, attempt));
      try {
        const secret = typeof options.secret === 'string' ? options.secret : await options.secret();
        const headers = await signRequest(secret, body);
        const response = await doFetch(url, {
          method: 'PUT',
          headers: {
            'content-type': 'application/json',
            ...(correlationId ? { 'x-correlation-id': correlationId } : {}),
            ...headers,
          },
          body,
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        await response.body?.cancel();
        if (response.ok) return 'accepted';
        if (response.status === 410) return 'gone';
        if (PERMANENT_STATUSES.has(response.status)) {
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
    putThumbnails: (imageId: string, payload: ThumbnailsReport, correlationId?: string) =>
      put('thumbnail', imageId, payload, correlationId),
    putTags: (imageId: string, payload: TagsReport, correlationId?: string) =>
      put('tags', imageId, payload, correlationId),
  };
}

export type CallbackClient = ReturnType<typeof createCallbackClient>;
