import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { createFileQueue, loadOrCreateLocalSecret, PermanentError } from '@gallery/messaging';
import { anImageUploaded, useTempDir } from '@gallery/messaging/testing';
import { createFsObjectStore } from '@gallery/storage';
import * as z from 'zod';
import { startLocalWorker } from './local';
import type { Worker, WorkContext } from './worker';

const OWN_ENV = z.object({ LABEL_MIN_CONFIDENCE: z.coerce.number().default(40) });

describe('startLocalWorker', () => {
  const tempDir = useTempDir();
  let api: FakeApi;
  beforeEach(async () => {
    api = await startFakeApi();
  });
  afterEach(() => api.close());

  const localEnv = () => ({
    DATA_DIR: tempDir(),
    API_URL: api.baseUrl,
    LOG_LEVEL: 'silent',
    POLL_INTERVAL_MS: '5',
    LABEL_MIN_CONFIDENCE: '55',
  });
  /** The processor's queue, where the API's file publisher puts its events. */
  const tagsQueue = () => createFileQueue({ dir: join(tempDir(), 'queues', 'tags') });

  /** An original under DATA_DIR, and its event on the tags queue. */
  async function anUploadedImage() {
    const event = anImageUploaded({ bucket: 'local' });
    const store = createFsObjectStore({ root: join(tempDir(), 'objects') });
    await store.put(event.key, Buffer.from('the original'), { contentType: 'image/jpeg' });
    await tagsQueue().send(JSON.stringify(event));
    return event;
  }

  it('works on its queue with the objects under DATA_DIR, calls back with the secret it shares with the API, and stops at a signal', async () => {
    // prepare
    const event = await anUploadedImage();
    const signals = new EventEmitter();
    const steps: string[] = [];
    const seen: WorkContext[] = [];
    const worker: Worker<'tags'> = {
      async work(context) {
        steps.push('work');
        seen.push(context);
        signals.emit('SIGTERM');
        const original = await context.store.read(context.event.key);
        return { labeler: 'fake', tags: [{ name: original.toString(), confidence: 90 }] };
      },
    };

    // act
    await startLocalWorker(
      {
        processor: 'tags',
        env: OWN_ENV,
        batchSize: 4,
        compose: ({ env }) => {
          steps.push(`compose ${env.LABEL_MIN_CONFIDENCE}`);
          return worker;
        },
        ready: async (composed) => void steps.push(composed === worker ? 'ready' : 'not ready'),
      },
      { env: localEnv(), signals },
    );

    // assess
    expect(steps).toEqual(['compose 55', 'ready', 'work']);
    expect(seen[0].event).toEqual(event);
    expect(api.tagsFor(event.imageId)).toEqual([
      expect.objectContaining({ status: 'done', tags: [{ name: 'the original', confidence: 90 }] }),
    ]);
    const secret = loadOrCreateLocalSecret(tempDir(), 'tags');
    await expect(
      verifySignature([secret], api.received[0].headers, api.received[0].body),
    ).resolves.toEqual({ ok: true });
    expect(await tagsQueue().counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
    expect(signals.listenerCount('SIGTERM')).toBe(0);
  });

  it("dead-letters an image that can never be processed in its queue's directory, with its reason", async () => {
    // prepare
    const event = await anUploadedImage();
    const signals = new EventEmitter();
    const worker: Worker<'tags'> = {
      async work() {
        signals.emit('SIGINT');
        throw new PermanentError('not a decodable image');
      },
    };

    // act
    await startLocalWorker(
      { processor: 'tags', batchSize: 1, compose: () => worker },
      { env: localEnv(), signals },
    );

    // assess
    expect(await tagsQueue().listDeadLetters()).toEqual([
      expect.objectContaining({ reason: 'PermanentError: not a decodable image' }),
    ]);
    expect(api.tagsFor(event.imageId)).toEqual([
      expect.objectContaining({ status: 'failed', error: 'not a decodable image' }),
    ]);
  });
});
