import { ApiClientError, createGalleryClient, type GalleryClient } from '@gallery/api-client';
import type { Connection } from './connection';
import { CommandError, messageOf } from './errors';

/**
 * A `fetch` that keeps the cookies the API sets, as a browser would: the session rides on the
 * cookie, and the client sends no Origin header, so the CSRF guard lets it through.
 */
function cookieKeepingFetch(): typeof fetch {
  const cookies = new Map<string, string>();
  return async (input, init = {}) => {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) {
      headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    }
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator > 0) cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1));
    }
    return response;
  };
}

/** Logs in; the client it returns acts as that user until `logOut`. */
export async function logIn(connection: Connection): Promise<GalleryClient> {
  const client = createGalleryClient({ baseUrl: connection.url, fetch: cookieKeepingFetch() });
  try {
    await client.login(connection.user, connection.password);
  } catch (error) {
    const reason =
      error instanceof ApiClientError
        ? `${error.message} (HTTP ${error.status})`
        : `cannot reach ${connection.url}: ${messageOf(error)}`;
    throw new CommandError(`login as ${connection.user} failed: ${reason}`, { cause: error });
  }
  return client;
}

/** Ends the session; a failure here changes nothing of what the command did. */
export async function logOut(client: GalleryClient): Promise<void> {
  await client.logout().catch(() => undefined);
}
