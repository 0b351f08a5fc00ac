import type { CallbackOf } from '@gallery/message-schema';
import { processorNamed, type ProcessorName } from '@gallery/processors';
import { ApiClientError } from './errors';
import { backoffDelay, DEFAULT_RETRY, sleep, type RetryPolicy } from './retry';
import { signRequest } from './signature';

/** `'accepted'`: the API stored it; `'gone'`: the image was deleted meanwhile, nothing to do. */
export type CallbackOutcome = 'accepted' | 'gone';

export interface CallbackClientOptions<N extends ProcessorName> {
  /** The processor whose results this client reports, on its callback route. */
  processor: N;
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
export type ReportOf<N extends ProcessorName> = WithoutImageId<CallbackOf<N>>;

/**
 * Only a request the API finds malformed is permanent. A 401 or 404 usually means a
 * misconfigured secret or URL, which an operator fixes: retry, then dead-letter.
 */
const PERMANENT_STATUSES = new Set([400, 413, 415, 422]);

/**
 * A worker's way back to the API: signed, idempotent PUTs, retried with backoff and jitter
 * on network errors, timeouts and every status but 410 (the image is gone) and the
 * permanent ones above.
 */
export function createCallbackClient<N extends ProcessorName>(
  options: CallbackClientOptions<N>,
): CallbackClient<N> {
  const doFetch = options.fetch ?? fetch;
  const retry = options.retry ?? DEFAULT_RETRY;
  const { route } = processorNamed(options.processor);

  // The correlation id goes along as `x-correlation-id`, so the API's logs carry it.
  async function put(
    imageId: string,
    payload: ReportOf<N>,
    correlationId?: string,
  ): Promise<CallbackOutcome> {
    const url = `${options.baseUrl.replace(/\/$/, '')}/internal/images/${encodeURIComponent(imageId)}/${route}`;
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

  return { put };
}

export interface CallbackClient<N extends ProcessorName> {
  /** Reports one image's result, or its failure. */
  put(imageId: string, payload: ReportOf<N>, correlationId?: string): Promise<CallbackOutcome>;
}
