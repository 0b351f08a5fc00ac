import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ThumbnailsCallback } from '@gallery/message-schema';
import { createCallbackClient } from './callback-client';
import { ApiClientError } from './errors';
import { verifySignature } from './signature';

interface Received {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback HTTP server standing in for the API: answers with the statuses it is given, in turn. */
async function startApi(statuses: number[]) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.statusCode = statuses[Math.min(received.length - 1, statuses.length - 1)];
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((r) => server.close(r)),
  };
}

const payload: ThumbnailsCallback = {
  status: 'failed',
  eventId: randomUUID(),
  error: 'corrupt image',
};
const fastRetry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

describe('callback client', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  afterEach(() => api.close());

  it('sends a signed PUT that the API can verify', async () => {
    api = await startApi([204]);
    const client = createCallbackClient({ baseUrl: api.baseUrl, secret: 'k1', retry: fastRetry });
    const imageId = randomUUID();

    const outcome = await client.putThumbnails(imageId, payload, 'corr-1');

    expect(outcome).toBe('accepted');
    const [request] = api.received;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe(`/internal/images/${imageId}/thumbnails`);
    expect(request.headers['x-correlation-id']).toBe('corr-1');
    expect(JSON.parse(request.body)).toEqual(payload);
    await expect(verifySignature(['k1'], request.headers, request.body)).resolves.toEqual({
      ok: true,
    });
  });

  it('retries 5xx and 429 until the API accepts', async () => {
    api = await startApi([503, 429, 204]);
    const client = createCallbackClient({ baseUrl: api.baseUrl, secret: 'k1', retry: fastRetry });

    await expect(client.putTags(randomUUID(), { ...payload })).resolves.toBe('accepted');
    expect(api.received).toHaveLength(3);
    expect(api.received[2].url).toMatch(/\/tags$/);
  });

  it('gives up after its attempts with a retryable error', async () => {
    api = await startApi([500]);
    const client = createCallbackClient({ baseUrl: api.baseUrl, secret: 'k1', retry: fastRetry });

    const error = await client.putTags(randomUUID(), payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect((error as ApiClientError).permanent).toBe(false);
    expect(api.received).toHaveLength(3);
  });

  it('treats a 404 as an image deleted meanwhile, without retrying', async () => {
    api = await startApi([404]);
    const client = createCallbackClient({ baseUrl: api.baseUrl, secret: 'k1', retry: fastRetry });

    await expect(client.putThumbnails(randomUUID(), payload)).resolves.toBe('gone');
    expect(api.received).toHaveLength(1);
  });

  it('fails at once, as permanent, when the API rejects the request', async () => {
    api = await startApi([401]);
    const client = createCallbackClient({
      baseUrl: api.baseUrl,
      secret: 'wrong',
      retry: fastRetry,
    });

    const error = await client.putThumbnails(randomUUID(), payload).catch((e: unknown) => e);
    expect((error as ApiClientError).permanent).toBe(true);
    expect((error as ApiClientError).status).toBe(401);
    expect(api.received).toHaveLength(1);
  });

  it('retries when the API cannot be reached at all', async () => {
    api = await startApi([204]);
    await api.close();
    const client = createCallbackClient({ baseUrl: api.baseUrl, secret: 'k1', retry: fastRetry });

    const error = await client.putThumbnails(randomUUID(), payload).catch((e: unknown) => e);
    expect((error as ApiClientError).permanent).toBe(false);
    expect((error as ApiClientError).message).toMatch(/after 3 attempts/);
    api = await startApi([204]);
  });
});
