import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { manualClock, useTempDir } from '../test/support';
import { InvalidReceiptHandleError } from './errors';
import { createFileQueue, type FileQueueOptions } from './file-queue';

describe('createFileQueue', () => {
  const tempDir = useTempDir();
  const queueDir = () => join(tempDir(), 'thumbnails');
  const aQueue = (options: Partial<FileQueueOptions> = {}) => {
    const clock = manualClock();
    const queue = createFileQueue({
      dir: queueDir(),
      visibilityTimeoutSeconds: 30,
      ...options,
      now: clock.now,
    });
    return { queue, clock };
  };

  it('hands out a sent message with its body, attributes, send time and a first receive count', async () => {
    // prepare
    const { queue, clock } = aQueue();
    const messageId = await queue.send('{"imageId":"a"}', { type: 'image.uploaded' });
    // act
    const [message, ...others] = await queue.receive();
    // assess
    expect(others).toEqual([]);
    expect(message).toEqual({
      messageId,
      receiptHandle: expect.any(String),
      body: '{"imageId":"a"}',
      attributes: { type: 'image.uploaded' },
      receiveCount: 1,
      sentAt: clock.now(),
      firstReceivedAt: clock.now(),
    });
    expect(messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('stores a message as one complete JSON file in ready/, named by send time', async () => {
    const { queue, clock } = aQueue();
    const messageId = await queue.send('hello', { type: 't' });
    const ready = await readdir(join(queueDir(), 'ready'));
    expect(ready).toEqual([`${String(clock.now()).padStart(15, '0')}-${messageId}.json`]);
    const stored = JSON.parse(await readFile(join(queueDir(), 'ready', ready[0]), 'utf8'));
    expect(stored).toEqual({
      messageId,
      body: 'hello',
      attributes: { type: 't' },
      sentAt: clock.now(),
      receiveCount: 0,
    });
    expect(await readdir(join(queueDir(), 'tmp'))).toEqual([]);
  });

  it('hands out messages in the order they were sent, at most as many as asked', async () => {
    const { queue, clock } = aQueue();
    for (const body of ['first', 'second', 'third']) {
      await queue.send(body);
      clock.advanceMs(1);
    }
    const firstTwo = await queue.receive(2);
    const rest = await queue.receive(2);
    expect(firstTwo.map((message) => message.body)).toEqual(['first', 'second']);
    expect(rest.map((message) => message.body)).toEqual(['third']);
  });

  it('deletes a received message for good', async () => {
    const { queue, clock } = aQueue();
    await queue.send('done soon');
    const [message] = await queue.receive();
    await queue.delete(message.receiptHandle);
    clock.advanceSeconds(31);
    expect(await queue.receive()).toEqual([]);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
  });

  it('accepts a second delete of the same message', async () => {
    const { queue } = aQueue();
    await queue.send('once');
    const [message] = await queue.receive();
    await queue.delete(message.receiptHandle);
    await expect(queue.delete(message.receiptHandle)).resolves.toBeUndefined();
  });

  it('rejects a receipt handle it never handed out, without touching any file', async () => {
    const { queue } = aQueue();
    await queue.send('safe');
    await expect(queue.delete('../ready/x')).rejects.toBeInstanceOf(InvalidReceiptHandleError);
    expect(await queue.counts()).toEqual({ ready: 1, leased: 0, dead: 0 });
  });

  it('hides a leased message until its lease expires, then delivers it again with a new handle', async () => {
    // prepare
    const { queue, clock } = aQueue();
    const messageId = await queue.send('slow work');
    const [first] = await queue.receive();
    // act
    clock.advanceSeconds(29);
    const duringLease = await queue.receive();
    clock.advanceSeconds(1);
    const afterLease = await queue.receive();
    // assess
    expect(duringLease).toEqual([]);
    expect(afterLease).toEqual([
      expect.objectContaining({
        messageId,
        receiveCount: 2,
        firstReceivedAt: first.firstReceivedAt,
      }),
    ]);
    expect(afterLease[0].receiptHandle).not.toBe(first.receiptHandle);
  });

  it('counts visible, leased and dead messages, an expired lease as visible', async () => {
    const { queue, clock } = aQueue();
    await queue.send('a');
    await queue.send('b');
    await queue.send('c');
    const [, toBury] = await queue.receive(2);
    await queue.deadLetter(toBury.receiptHandle, 'broken');
    expect(await queue.counts()).toEqual({ ready: 1, leased: 1, dead: 1 });
    clock.advanceSeconds(30);
    expect(await queue.counts()).toEqual({ ready: 2, leased: 0, dead: 1 });
  });

  it('does not delete a newer lease through a stale receipt handle', async () => {
    // prepare
    const { queue, clock } = aQueue();
    await queue.send('taken twice');
    const [stale] = await queue.receive();
    clock.advanceSeconds(30);
    const [current] = await queue.receive();
    // act
    await queue.delete(stale.receiptHandle);
    // assess
    expect(await queue.counts()).toEqual({ ready: 0, leased: 1, dead: 0 });
    await queue.delete(current.receiptHandle);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
  });

  it('neither releases nor dead-letters a newer lease through a stale receipt handle', async () => {
    const { queue, clock } = aQueue();
    await queue.send('taken twice');
    const [stale] = await queue.receive();
    clock.advanceSeconds(30);
    await queue.receive();
    await queue.release(stale.receiptHandle, 'late');
    await queue.deadLetter(stale.receiptHandle, 'late');
    expect(await queue.counts()).toEqual({ ready: 0, leased: 1, dead: 0 });
  });

  it('makes a released message visible at once, counting its receives on', async () => {
    // prepare
    const { queue } = aQueue();
    const messageId = await queue.send('retry me');
    const [first] = await queue.receive();
    // act
    await queue.release(first.receiptHandle, 'Error: api down');
    const again = await queue.receive();
    // assess
    expect(again).toEqual([expect.objectContaining({ messageId, receiveCount: 2 })]);
  });

  it('keeps a message released with a delay hidden until the delay is over', async () => {
    const { queue, clock } = aQueue();
    await queue.send('later');
    const [first] = await queue.receive();
    await queue.release(first.receiptHandle, 'Error: busy', { delaySeconds: 5 });
    const tooSoon = await queue.receive();
    clock.advanceSeconds(5);
    const inTime = await queue.receive();
    expect(tooSoon).toEqual([]);
    expect(inTime).toEqual([expect.objectContaining({ body: 'later', receiveCount: 2 })]);
  });

  it('moves a message to dead/ instead of a receive past maxReceiveCount, with the last error', async () => {
    // prepare
    const { queue } = aQueue({ maxReceiveCount: 3 });
    const messageId = await queue.send('poison', { type: 'image.uploaded' });
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [message] = await queue.receive();
      await queue.release(message.receiptHandle, `Error: attempt ${attempt} failed`);
    }
    // act
    const fourth = await queue.receive();
    // assess
    expect(fourth).toEqual([]);
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 1 });
    expect(await queue.listDeadLetters()).toEqual([
      expect.objectContaining({
        messageId,
        body: 'poison',
        attributes: { type: 'image.uploaded' },
        receiveCount: 3,
        reason: 'exceeded maxReceiveCount (3)',
        lastError: 'Error: attempt 3 failed',
        queue: 'thumbnails',
      }),
    ]);
  });

  it('dead-letters a message whose leases keep expiring after maxReceiveCount receives', async () => {
    const { queue, clock } = aQueue({ maxReceiveCount: 2 });
    await queue.send('crashes its worker');
    const receiveCounts: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      receiveCounts.push(...(await queue.receive()).map((message) => message.receiveCount));
      clock.advanceSeconds(30);
    }
    expect(receiveCounts).toEqual([1, 2]);
    const [deadLetter] = await queue.listDeadLetters();
    expect(deadLetter.reason).toBe('exceeded maxReceiveCount (2)');
    expect(await readdir(join(queueDir(), 'dead'))).toHaveLength(1);
  });

  it('dead-letters a leased message at once with its reason', async () => {
    // prepare
    const { queue, clock } = aQueue({ name: 'tags' });
    const messageId = await queue.send('not an image');
    const [message] = await queue.receive();
    clock.advanceSeconds(1);
    // act
    await queue.deadLetter(message.receiptHandle, 'PermanentError: not a decodable image');
    // assess
    expect(await queue.listDeadLetters()).toEqual([
      {
        messageId,
        body: 'not an image',
        attributes: {},
        sentAt: message.sentAt,
        receiveCount: 1,
        firstReceivedAt: message.firstReceivedAt,
        reason: 'PermanentError: not a decodable image',
        deadLetteredAt: clock.now(),
        queue: 'tags',
      },
    ]);
    clock.advanceSeconds(60);
    expect(await queue.receive()).toEqual([]);
  });

  it('redrives dead letters to the queue with a fresh receive count', async () => {
    // prepare
    const { queue } = aQueue();
    const ids = [await queue.send('one'), await queue.send('two')];
    for (const message of await queue.receive()) {
      await queue.deadLetter(message.receiptHandle, 'broken');
    }
    // act
    const redriven = await queue.redrive();
    // assess
    expect(redriven).toBe(2);
    expect(await queue.listDeadLetters()).toEqual([]);
    const again = await queue.receive();
    expect(again.map((message) => message.messageId).sort()).toEqual([...ids].sort());
    expect(again.map((message) => message.receiveCount)).toEqual([1, 1]);
  });

  it('dead-letters a file in ready/ that holds no message instead of handing it out', async () => {
    const { queue } = aQueue();
    await queue.receive();
    await writeFile(join(queueDir(), 'ready', '000000000000001-garbage.json'), '{"trunc');
    const received = await queue.receive();
    const [deadLetter] = await queue.listDeadLetters();
    expect(received).toEqual([]);
    expect(deadLetter).toEqual(expect.objectContaining({ messageId: 'garbage', body: '{"trunc' }));
    expect(deadLetter.reason).toMatch(/^unreadable message file: SyntaxError/);
  });

  it('creates its directories on first use and names itself after its directory', async () => {
    const { queue } = aQueue();
    expect(await queue.counts()).toEqual({ ready: 0, leased: 0, dead: 0 });
    expect((await readdir(queueDir())).sort()).toEqual(['dead', 'leased', 'ready', 'tmp']);
    expect(queue.name).toBe('thumbnails');
  });
});
