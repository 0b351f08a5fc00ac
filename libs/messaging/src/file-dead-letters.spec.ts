import { join } from 'node:path';
import { manualClock, useTempDir } from '../test/support';
import { createFileDeadLetters } from './file-dead-letters';
import { createFileQueue } from './file-queue';
import { anImageUploaded } from './testing';

describe('createFileDeadLetters', () => {
  const tempDir = useTempDir();

  async function deadLetterOne(queue: string, body: string, reason: string, now: () => number) {
    const fileQueue = createFileQueue({ dir: join(tempDir(), queue), name: queue, now });
    await fileQueue.send(body);
    const [message] = await fileQueue.receive(1);
    await fileQueue.deadLetter(message.receiptHandle, reason);
    return fileQueue;
  }

  it('lists the dead letters of every queue newest first, with the image of real events', async () => {
    // prepare
    const clock = manualClock();
    const event = anImageUploaded();
    await deadLetterOne('thumbnails', 'not json', 'body is not JSON', clock.now);
    clock.advanceSeconds(1);
    await deadLetterOne('tags', JSON.stringify(event), 'labeler refused', clock.now);
    const deadLetters = createFileDeadLetters({
      queuesDir: tempDir(),
      queues: ['thumbnails', 'tags'],
    });
    // act
    const failures = await deadLetters.list();
    // assess
    expect(failures).toEqual([
      expect.objectContaining({
        queue: 'tags',
        imageId: event.imageId,
        reason: 'labeler refused',
        receiveCount: 1,
        deadLetteredAt: new Date(clock.now()).toISOString(),
      }),
      expect.objectContaining({
        queue: 'thumbnails',
        imageId: null,
        reason: 'body is not JSON',
        receiveCount: 1,
      }),
    ]);
  });

  it('moves every dead letter back to its own queue and counts them', async () => {
    // prepare
    const clock = manualClock();
    const thumbnails = await deadLetterOne('thumbnails', 'not json', 'bad', clock.now);
    const tags = await deadLetterOne('tags', 'not json either', 'bad', clock.now);
    const deadLetters = createFileDeadLetters({
      queuesDir: tempDir(),
      queues: ['thumbnails', 'tags'],
    });
    // act
    const moved = await deadLetters.redrive();
    // assess
    expect(moved).toBe(2);
    expect(await thumbnails.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
    expect(await tags.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
    expect(await deadLetters.list()).toEqual([]);
  });

  it('refuses a queue name that could leave the queues directory', () => {
    expect(() => createFileDeadLetters({ queuesDir: tempDir(), queues: ['../x'] })).toThrow(
      'invalid queue names: ../x',
    );
  });
});
