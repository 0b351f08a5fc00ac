import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { useTempDir } from '../test/support';
import { PublishError } from './errors';
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

  it('refuses a queue name that is not a plain directory name', () => {
    expect(() => createFilePublisher({ queuesDir: tempDir(), queues: ['../elsewhere'] })).toThrow(
      'invalid queue names: ../elsewhere',
    );
  });
});
