import {
  albumView,
  failureList,
  imagePage,
  imageView,
  redriveResult,
  type AlbumView,
  type FailureView,
  type InvitationView,
  type PendingInvitationView,
  type PersonView,
  type Role,
  type SessionView,
  type UserView,
  type ImagePage,
  type ImageView,
} from '@gallery/message-schema';
import { ApiClientError } from './errors';

export type User = UserView;
export type Person = PersonView;
export type SessionInfo = SessionView;
export type Invitation = InvitationView;
export type PendingInvitation = PendingInvitationView;
export type { Role };

export interface AlbumPatch {
  name?: string;
  description?: string;
  /** null: back to the album's newest image. */
  coverImageId?: string | null;
}

export interface ListImagesQuery {
  limit?: number;
  cursor?: string;
  tag?: string;
  /** `uploaded` (the default): newest upload first; `taken`: newest date taken first. */
  order?: 'uploaded' | 'taken';
  /** Words every image must have, each as a word or a word's start. */
  q?: string;
  /** Only the images of this album. */
  album?: string;
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

  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> =>
    (await request(method, path, body)).json() as Promise<T>;
  const album = (id: string) => `/api/albums/${encodeURIComponent(id)}`;
  const person = (id: string) => `/api/users/${encodeURIComponent(id)}`;

  const client = {
    login: (username: string, password: string): Promise<User> =>
      json('POST', '/api/auth/login', { username, password }),
    logout: async (): Promise<void> => void (await request('POST', '/api/auth/logout')),
    me: (): Promise<User> => json('GET', '/api/auth/me'),
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
    /** Joins with an invitation's token, then is signed in. */
    join: (token: string, username: string, password: string): Promise<User> =>
      json('POST', '/api/auth/join', { token, username, password }),
    changePassword: async (current: string, next: string): Promise<void> =>
      void (await request('PUT', '/api/auth/password', { current, next })),
    listSessions: (): Promise<SessionInfo[]> => json('GET', '/api/auth/sessions'),
    endSession: async (id: string): Promise<void> =>
      void (await request('DELETE', `/api/auth/sessions/${encodeURIComponent(id)}`)),

    listAlbums: async (): Promise<AlbumView[]> =>
      albumView.array().parse(await json('GET', '/api/albums')),
    getAlbum: async (id: string): Promise<AlbumView> =>
      albumView.parse(await json('GET', album(id))),
    createAlbum: async (name: string, description?: string): Promise<AlbumView> =>
      albumView.parse(await json('POST', '/api/albums', { name, description })),
    updateAlbum: async (id: string, patch: AlbumPatch): Promise<AlbumView> =>
      albumView.parse(await json('PATCH', album(id), patch)),
    deleteAlbum: async (id: string): Promise<void> => void (await request('DELETE', album(id))),
    addToAlbum: async (id: string, imageIds: string[]): Promise<AlbumView> =>
      albumView.parse(await json('POST', `${album(id)}/images`, { imageIds })),
    removeFromAlbum: async (id: string, imageIds: string[]): Promise<AlbumView> =>
      albumView.parse(await json('DELETE', `${album(id)}/images`, { imageIds })),

    listPeople: (): Promise<Person[]> => json('GET', '/api/users'),
    addPerson: (username: string, password: string, role: Role): Promise<Person> =>
      json('POST', '/api/users', { username, password, role }),
    changePerson: (id: string, change: { role?: Role; disabled?: boolean }): Promise<Person> =>
      json('PATCH', person(id), change),
    resetPassword: async (id: string, password: string): Promise<void> =>
      void (await request('PUT', `${person(id)}/password`, { password })),
    invite: (role: Role, hours?: number): Promise<Invitation> =>
      json('POST', '/api/invitations', { role, hours }),
    listInvitations: (): Promise<PendingInvitation[]> => json('GET', '/api/invitations'),
    revokeInvitation: async (id: string): Promise<void> =>
      void (await request('DELETE', `/api/invitations/${encodeURIComponent(id)}`)),

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
