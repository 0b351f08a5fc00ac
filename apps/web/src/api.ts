import { ApiClientError, createGalleryClient } from '@gallery/api-client';
import { uploadImage, type Upload } from './upload';

/** The API as the web app uses it: the typed client, plus uploads with progress. */
export function createApi({ baseUrl = '' }: { baseUrl?: string } = {}) {
  const client = createGalleryClient({ baseUrl });
  return {
    ...client,
    uploadImage: (
      name: string,
      file: File,
      onProgress?: (loaded: number, total: number) => void,
    ): Upload => uploadImage({ url: `${baseUrl}/api/images`, name, file, onProgress }),
  };
}

export type Api = ReturnType<typeof createApi>;

/** The session is gone (expired, or logged out elsewhere): back to the login page. */
export const isUnauthorized = (error: unknown): boolean =>
  error instanceof ApiClientError && error.status === 401;

export const isNotFound = (error: unknown): boolean =>
  error instanceof ApiClientError && error.status === 404;

/** A message fit to show for any failure. */
export function errorMessage(error: unknown): string {
  // fetch rejects with a TypeError when the network fails; zod with a ZodError on a bad body.
  if (error instanceof TypeError) return 'The server cannot be reached.';
  if (error instanceof Error && error.name === 'ZodError')
    return 'The server answered unexpectedly.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
