import {
  failureList,
  imagePage,
  imageView,
  redriveResult,
  type FailureView,
  type ImagePage,
  type ImageView,
} from '@gallery/message-schema';
import { ApiClientError } from './errors';

export interface User {
  username: string;
}

export interface ListImagesQuery {
  limit?: number;
  cursor?: string;
  tag?: string;
  /** `uploaded` (the default): newest upload first; `taken`: newest date taken first. */
  order?: 'uploaded' | 'taken';
}

export interface ImagePatch {
  name?: string;
  tags?: string[];
}

/**
 * The typed client of the public API, for the web app and scripts. Sessions ride on the
 * cookie: in a browser it is sent by itself, elsewhere pass a `fetch` that keeps it.
 */
export function createGalleryClient({
  baseUrl = '',
  fetch: doFetch = fetch,
}: { baseUrl?: string; fetch?: typeof fetch } = {}) {
  async function request(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await doFetch(`${baseUrl}${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const detail = await response.json().catch(() => ({}) as { message?: string });
      throw new ApiClientError(
        detail.message ?? `${method} ${path} failed with ${response.status}`,
        response.status,
        true,
      );
    }
    return response;
  }

  const client = {
    login: async (username: string, password: string): Promise<User> =>
      (await request('POST', '/api/auth/login', { username, password })).json(),
    logout: async (): Promise<void> => void (await request('POST', '/api/auth/logout')),
    me: async (): Promise<User> => (await request('GET', '/api/auth/me')).json(),
    listImages: async (query: ListImagesQuery = {}): Promise<ImagePage> => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query))
        if (value !== undefined && value !== '') params.set(key, String(value));
      const search = params.size ? `?${params}` : '';
      return imagePage.parse(await (await request('GET', `/api/images${search}`)).json());
    },
    getImage: async (id: string): Promise<ImageView> =>
      imageView.parse(await (await request('GET', `/api/images/${encodeURIComponent(id)}`)).json()),
    updateImage: async (id: string, patch: ImagePatch): Promise<ImageView> =>
      imageView.parse(
        await (await request('PATCH', `/api/images/${encodeURIComponent(id)}`, patch)).json(),
      ),
    deleteImage: async (id: string): Promise<void> =>
      void (await request('DELETE', `/api/images/${encodeURIComponent(id)}`)),
    /** Publishes the image's `image.uploaded` event again; failed processors go back to pending. */
    reprocessImage: async (id: string): Promise<ImageView> =>
      imageView.parse(
        await (
          await request('POST', `/api/admin/images/${encodeURIComponent(id)}/reprocess`)
        ).json(),
      ),
    /** Every image matching the query, page after page, newest first. */
    allImages: async function* (
      query: Omit<ListImagesQuery, 'cursor'> = {},
    ): AsyncGenerator<ImageView, void, undefined> {
      let cursor: string | undefined;
      do {
        const page = await client.listImages({ ...query, cursor });
        yield* page.items;
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
    },
    /** The dead letters of every queue, newest first. */
    listFailures: async (): Promise<FailureView[]> =>
      failureList.parse(await (await request('GET', '/api/admin/failures')).json()).items,
    /** Moves every dead letter back to its queue; resolves with how many moved. */
    redriveFailures: async (): Promise<number> =>
      redriveResult.parse(await (await request('POST', '/api/admin/failures/redrive')).json())
        .moved,
  };
  return client;
}

export type GalleryClient = ReturnType<typeof createGalleryClient>;
