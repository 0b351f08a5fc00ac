import {
  JSON_STORED,
  type FailureView,
  type ImageView,
  type JsonStored,
} from '@gallery/message-schema';
import { perProcessor } from '@gallery/processors';
import { randomUUID } from 'node:crypto';
import { ApiClientError } from './errors';
import { createGalleryClient } from './gallery-client';
import { startFakeApi, type FakeApi } from './testing';

function anImage(name: string): ImageView {
  return {
    ...(Object.fromEntries(JSON_STORED.map((processor) => [processor, null])) as Pick<
      ImageView,
      JsonStored
    >),
    id: randomUUID(),
    name,
    contentType: 'image/png',
    size: 1234,
    width: null,
    height: null,
    createdAt: '2026-03-01T12:00:00.000Z',
    status: perProcessor(() => 'pending' as const),
    errors: {},
    tags: [],
    thumbnails: [],
    placeholder: null,
    addedBy: null,
    albums: [],
  };
}

const aFailure = (queue: string, imageId: string | null): FailureView => ({
  queue,
  messageId: randomUUID(),
  imageId,
  reason: 'Corrupt JPEG data: bad Huffman code',
  receiveCount: 1,
  deadLetteredAt: '2026-03-01T12:00:00.000Z',
});

describe('gallery client', () => {
  let api: FakeApi;
  afterEach(() => api.close());

  const clientOf = (fake: FakeApi) => createGalleryClient({ baseUrl: fake.baseUrl });

  describe('reprocessImage', () => {
    it("POSTs to the image's reprocess route and returns the image as answered", async () => {
      // prepare
      const image = anImage('beach');
      api = await startFakeApi(
        () => 202,
        () => image,
      );

      // act
      const answered = await clientOf(api).reprocessImage(image.id);

      // assess
      expect(answered).toEqual(image);
      expect(api.received.map(({ method, url }) => ({ method, url }))).toEqual([
        { method: 'POST', url: `/api/admin/images/${image.id}/reprocess` },
      ]);
    });

    it("rejects with the API's status and message for an unknown image", async () => {
      // prepare
      api = await startFakeApi(
        () => 404,
        () => ({ message: 'not found' }),
      );

      // act
      const error = await clientOf(api)
        .reprocessImage(randomUUID())
        .catch((e: unknown) => e);

      // assess
      expect(error).toBeInstanceOf(ApiClientError);
      expect(error).toMatchObject({ status: 404, message: 'not found' });
    });

    it('rejects an answer that is not an image', async () => {
      // prepare
      api = await startFakeApi(
        () => 202,
        () => ({ id: 'x' }),
      );

      // act, assess
      await expect(clientOf(api).reprocessImage(randomUUID())).rejects.toThrow();
    });
  });

  describe('allImages', () => {
    it('follows the cursor page after page until the last, keeping the query', async () => {
      // prepare
      const images = ['a', 'b', 'c'].map(anImage);
      const pages: Record<string, unknown> = {
        '/api/images?limit=2': { items: images.slice(0, 2), nextCursor: 'page 2' },
        '/api/images?limit=2&cursor=page+2': { items: images.slice(2), nextCursor: null },
      };
      api = await startFakeApi(
        () => 200,
        (request) => pages[request.url ?? ''],
      );

      // act
      const seen: ImageView[] = [];
      for await (const image of clientOf(api).allImages({ limit: 2 })) seen.push(image);

      // assess
      expect(seen).toEqual(images);
      expect(api.received.map(({ url }) => url)).toEqual(Object.keys(pages));
    });

    it('asks once when the gallery is empty', async () => {
      // prepare
      api = await startFakeApi(
        () => 200,
        () => ({ items: [], nextCursor: null }),
      );

      // act
      const seen: ImageView[] = [];
      for await (const image of clientOf(api).allImages()) seen.push(image);

      // assess
      expect(seen).toEqual([]);
      expect(api.received.map(({ url }) => url)).toEqual(['/api/images']);
    });
  });

  describe('dead letters', () => {
    it('lists the failures the API holds', async () => {
      // prepare
      const failures = [aFailure('thumbnails', randomUUID()), aFailure('tags', null)];
      api = await startFakeApi(
        () => 200,
        () => ({ items: failures }),
      );

      // act
      const listed = await clientOf(api).listFailures();

      // assess
      expect(listed).toEqual(failures);
      expect(api.received.map(({ method, url }) => ({ method, url }))).toEqual([
        { method: 'GET', url: '/api/admin/failures' },
      ]);
    });

    it('redrives them and says how many moved', async () => {
      // prepare
      api = await startFakeApi(
        () => 200,
        () => ({ moved: 3 }),
      );

      // act
      const moved = await clientOf(api).redriveFailures();

      // assess
      expect(moved).toBe(3);
      expect(api.received.map(({ method, url }) => ({ method, url }))).toEqual([
        { method: 'POST', url: '/api/admin/failures/redrive' },
      ]);
    });

    it('passes on why a redrive was refused', async () => {
      // prepare
      const message = 'a redrive of tags is still moving messages';
      api = await startFakeApi(
        () => 409,
        () => ({ message }),
      );

      // act
      const error = await clientOf(api)
        .redriveFailures()
        .catch((e: unknown) => e);

      // assess
      expect(error).toMatchObject({ name: 'ApiClientError', status: 409, message });
    });
  });
});
