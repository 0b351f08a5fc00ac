import { randomUUID } from 'node:crypto';
import type { ProcessorName } from '@gallery/processors';
import { createCallbackClient, type ReportOf } from './callback-client';
import { ApiClientError } from './errors';
import { verifySignature } from './signature';
import { inTurn, startFakeApi, type FakeApi } from './testing';

const payload: ReportOf<'thumbnail'> = {
  status: 'failed',
  eventId: randomUUID(),
  error: 'corrupt image',
};
const fastRetry = { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 };

/** A client of `processor`'s callbacks on the fake API, with secret `k1` and fast retries. */
const clientFor = (api: FakeApi, processor: ProcessorName = 'thumbnail') =>
  createCallbackClient({ processor, baseUrl: api.baseUrl, secret: 'k1', retry: fastRetry });

describe('callback client', () => {
  let api: FakeApi;
  afterEach(() => api.close());

  it('sends a signed PUT that the API can verify', async () => {
    api = await startFakeApi();
    const client = clientFor(api);
    const imageId = randomUUID();

    const outcome = await client.put(imageId, payload, 'corr-1');

    expect(outcome).toBe('accepted');
    const [request] = api.received;
    expect(request.method).toBe('PUT');
    expect(request.url).toBe(`/internal/images/${imageId}/thumbnails`);
    expect(request.headers['x-correlation-id']).toBe('corr-1');
    // The image id is in the signed body, so the request cannot be replayed onto another image.
    expect(JSON.parse(request.body)).toEqual({ ...payload, imageId });
    await expect(verifySignature(['k1'], request.headers, request.body)).resolves.toEqual({
      ok: true,
    });
  });

  it('retries 5xx and 429 until the API accepts', async () => {
    api = await startFakeApi(inTurn([503, 429, 204]));
    const client = clientFor(api, 'tags');

    await expect(client.put(randomUUID(), { ...payload })).resolves.toBe('accepted');
    expect(api.received).toHaveLength(3);
    expect(api.received[2].url).toMatch(/\/tags$/);
  });

  it('gives up after its attempts with a retryable error', async () => {
    api = await startFakeApi(() => 500);
    const client = clientFor(api);

    const error = await client.put(randomUUID(), payload).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiClientError);
    expect((error as ApiClientError).permanent).toBe(false);
    expect(api.received).toHaveLength(3);
  });

  it('treats a 410 as an image deleted meanwhile, without retrying', async () => {
    api = await startFakeApi(() => 410);
    const client = clientFor(api);

    await expect(client.put(randomUUID(), payload)).resolves.toBe('gone');
    expect(api.received).toHaveLength(1);
  });

  it.each([401, 404])(
    'retries a %i, which a fixed secret or URL may cure, then fails as retryable',
    async (status) => {
      api = await startFakeApi(() => status);
      const client = clientFor(api);

      const error = await client.put(randomUUID(), payload).catch((e: unknown) => e);
      expect((error as ApiClientError).permanent).toBe(false);
      expect(api.received).toHaveLength(3);
    },
  );

  it('fails at once, as permanent, when the API finds the request malformed', async () => {
    api = await startFakeApi(() => 400);
    const client = clientFor(api);

    const error = await client.put(randomUUID(), payload).catch((e: unknown) => e);
    expect((error as ApiClientError).permanent).toBe(true);
    expect((error as ApiClientError).status).toBe(400);
    expect(api.received).toHaveLength(1);
  });

  it('retries when the API cannot be reached at all', async () => {
    api = await startFakeApi();
    await api.close();
    const client = clientFor(api);

    const error = await client.put(randomUUID(), payload).catch((e: unknown) => e);
    expect((error as ApiClientError).permanent).toBe(false);
    expect((error as ApiClientError).message).toMatch(/after 3 attempts/);
    api = await startFakeApi();
  });
});
