import { join } from 'node:path';
import { loadOrCreateLocalSecret, toSqsEvent } from '@gallery/messaging';
import { useTempDir } from '@gallery/messaging/testing';
import { createLocalWorkerMessaging } from './local-worker-messaging';
import type { LocalWorkerConfig } from './worker-config';

describe('createLocalWorkerMessaging', () => {
  const tempDir = useTempDir();
  const aConfig = (overrides: Partial<LocalWorkerConfig> = {}): LocalWorkerConfig => ({
    apiUrl: 'http://127.0.0.1:3000',
    callbackSecret: undefined,
    logLevel: 'silent',
    dataDir: tempDir(),
    queueDir: join(tempDir(), 'queues', 'tags'),
    visibilityTimeoutSeconds: 30,
    maxReceiveCount: 2,
    pollIntervalMs: 100,
    ...overrides,
  });

  it('queues in the configured directory and keeps dead letters beside it', async () => {
    // prepare
    const { queue, deadLetters } = createLocalWorkerMessaging(aConfig(), 'tags');
    await queue.send('body');
    const [message] = await queue.receive(1);

    // act
    await deadLetters.send(toSqsEvent([message], queue.name).Records[0], 'corrupt');

    // assess
    expect(queue.dir).toBe(join(tempDir(), 'queues', 'tags'));
    expect(await queue.listDeadLetters()).toEqual([
      expect.objectContaining({ body: 'body', reason: 'corrupt' }),
    ]);
  });

  it('dead-letters a message received more often than configured', async () => {
    // prepare
    const { queue } = createLocalWorkerMessaging(aConfig({ maxReceiveCount: 1 }), 'tags');
    await queue.send('keeps failing');
    const [first] = await queue.receive(1);
    await queue.release(first.receiptHandle, 'flaky');

    // act
    const again = await queue.receive(1);

    // assess
    expect(again).toEqual([]);
    expect(await queue.counts()).toMatchObject({ dead: 1 });
  });

  it("uses the processor's shared secret file unless a secret is configured", () => {
    // act
    const shared = createLocalWorkerMessaging(aConfig(), 'tags');
    const configured = createLocalWorkerMessaging(
      aConfig({ callbackSecret: 'a-secret-of-enough-length' }),
      'tags',
    );

    // assess
    expect(shared.callbackSecret).toBe(loadOrCreateLocalSecret(tempDir(), 'tags'));
    expect(shared.callbackSecret).not.toBe(loadOrCreateLocalSecret(tempDir(), 'thumbnail'));
    expect(configured.callbackSecret).toBe('a-secret-of-enough-length');
  });
});
