import { imagePage, imageView, type ImagePage, type ImageView } from '@gallery/message-schema';
import { ApiClientError } from './errors';

export interface User {
  username: string;
}

export interface ListImagesQuery {
  limit?: number;
  cursor?: string;
  tag?: string;
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

  return {
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
  };
}

export type GalleryClient = ReturnType<typeof createGalleryClient>;
