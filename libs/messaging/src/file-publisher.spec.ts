import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '../test/support';
import { MessagingError, PublishError } from './errors';
import { createFilePublisher } from './file-publisher';
import { createFileQueue } from './file-queue';

describe('createFilePublisher', () => {
  const tempDir = useTempDir();

  it('queues each message on every subscriber queue with its type as an attribute', async () => {
    // prepare
    const publisher = createFilePublisher({ queuesDir: tempDir(), queues: ['thumbnails', 'tags'] });
    // act
    await publisher.publish({ type: 'image.uploaded', body: '{"imageId":"a"}' });
    // assess
    for (const name of ['thumbnails', 'tags']) {
      const queue = createFileQueue({ dir: join(tempDir(), name) });
      expect(await queue.receive()).toEqual([
        expect.objectContaining({
          body: '{"imageId":"a"}',
          attributes: { type: 'image.uploaded' },
        }),
      ]);
    }
  });

  it('rejects with a PublishError naming the queue that did not accept the message', async () => {
    // prepare: a file where the tags queue's directory should be
    await writeFile(join(tempDir(), 'tags'), 'not a directory');
    const publisher = createFilePublisher({ queuesDir: tempDir(), queues: ['thumbnails', 'tags'] });
    // act
    const published = publisher.publish({ type: 'image.uploaded', body: '{}' });
    // assess
    await expect(published).rejects.toBeInstanceOf(PublishError);
    await expect(published).rejects.toThrow(/not accepted by tags \(Error: ENOTDIR/);
  });

  it('passes its probe before any queue exists, creating none', async () => {
    const queuesDir = join(tempDir(), 'queues');
    const publisher = createFilePublisher({ queuesDir, queues: ['thumbnails', 'tags'] });
    await expect(publisher.probe()).resolves.toBeUndefined();
    expect(existsSync(queuesDir)).toBe(false);
  });

  it('fails its probe naming each queue whose directory cannot be written', async () => {
    // prepare: a file where the tags queue's directory should be
    await writeFile(join(tempDir(), 'tags'), 'not a directory');
    const publisher = createFilePublisher({ queuesDir: tempDir(), queues: ['thumbnails', 'tags'] });
    // act
    const probing = publisher.probe();
    // assess
    await expect(probing).rejects.toBeInstanceOf(MessagingError);
    await expect(probing).rejects.toThrow(
      `cannot queue for tags (${join(tempDir(), 'tags')} is not a directory)`,
    );
  });

  it('fails its probe when a file stands where the queues directory should be', async () => {
    const queuesDir = join(tempDir(), 'queues');
    await writeFile(queuesDir, 'not a directory');
    const publisher = createFilePublisher({ queuesDir, queues: ['thumbnails'] });
    await expect(publisher.probe()).rejects.toThrow(
      `cannot queue for thumbnails (${queuesDir} is not a directory)`,
    );
  });

  it('refuses a queue name that is not a plain directory name', () => {
    expect(() => createFilePublisher({ queuesDir: tempDir(), queues: ['../elsewhere'] })).toThrow(
      'invalid queue names: ../elsewhere',
    );
  });
});
