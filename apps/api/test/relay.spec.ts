import { randomUUID } from 'node:crypto';
import { enqueueEvent } from '../src/outbox/enqueue';
import { publishPendingEvents } from '../src/outbox/relay';
import { startOutboxRelay } from '../src/outbox/relay-loop';
import { createCollectingPublisher } from './support/collecting-publisher';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the outbox relay', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  beforeEach(async () => {
    await database.db.deleteFrom('outbox').execute();
  });
  afterAll(async () => {
    await database.close();
  });

  const enqueue = (n: number) =>
    enqueueEvent(database.db, { type: 'image.uploaded', payload: { n, eventId: randomUUID() } });
  const pending = () =>
    database.db
      .selectFrom('outbox')
      .select(['attempts', 'last_error'])
      .where('published_at', 'is', null)
      .orderBy('id')
      .execute();
  const silent = { info: () => undefined, warn: () => undefined };

  it('publishes pending events in order, each once', async () => {
    await enqueue(1);
    await enqueue(2);
    const publisher = createCollectingPublisher();

    const first = await publishPendingEvents({ db: database.db, publisher });
    const second = await publishPendingEvents({ db: database.db, publisher });

    expect(first).toEqual({ published: 2, more: false });
    expect(second).toEqual({ published: 0, more: false });
    expect(publisher.messages.map((m) => [m.type, JSON.parse(m.body).n])).toEqual([
      ['image.uploaded', 1],
      ['image.uploaded', 2],
    ]);
    expect(await pending()).toEqual([]);
  });

  it('keeps events pending while the publisher fails, then delivers them once it recovers', async () => {
    await enqueue(1);
    await enqueue(2);
    const publisher = createCollectingPublisher();
    const outage = new Error('topic unreachable');
    publisher.failWith = outage;

    const failed = await publishPendingEvents({ db: database.db, publisher });
    const stillPending = await pending();
    publisher.failWith = undefined;
    const recovered = await publishPendingEvents({ db: database.db, publisher });

    expect(failed).toEqual({ published: 0, failure: outage, more: false });
    expect(stillPending).toEqual([
      { attempts: 1, last_error: 'Error: topic unreachable' },
      { attempts: 0, last_error: null },
    ]);
    expect(recovered).toEqual({ published: 2, more: false });
    expect(publisher.messages.map((m) => JSON.parse(m.body).n)).toEqual([1, 2]);
  });

  it('says when a round took a full batch, so that the loop goes on at once', async () => {
    await enqueue(1);
    await enqueue(2);
    await enqueue(3);
    const publisher = createCollectingPublisher();

    const round = await publishPendingEvents({ db: database.db, publisher, batchSize: 2 });

    expect(round).toEqual({ published: 2, more: true });
  });

  it('runs in a loop that a nudge wakes, until stopped', async () => {
    const publisher = createCollectingPublisher();
    // An interval longer than any test: only the nudge can make the loop publish.
    const relay = startOutboxRelay({
      db: database.db,
      publisher,
      logger: silent,
      intervalMs: 3_600_000,
    });
    try {
      await publisher.received(0);
      await enqueue(1);

      relay.nudge();
      const messages = await publisher.received(1);

      expect(JSON.parse(messages[0].body).n).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('retries on its own after a failure and delivers once the publisher recovers', async () => {
    await enqueue(1);
    const publisher = createCollectingPublisher();
    publisher.failWith = new Error('down');
    const warnings: object[] = [];
    let recover: () => void = () => undefined;
    const failedOnce = new Promise<void>((resolve) => (recover = resolve));
    const relay = startOutboxRelay({
      db: database.db,
      publisher,
      logger: {
        info: () => undefined,
        warn: (object) => {
          warnings.push(object);
          recover();
        },
      },
      intervalMs: 5,
      maxBackoffMs: 20,
    });
    try {
      await failedOnce;
      publisher.failWith = undefined;

      const messages = await publisher.received(1);

      expect(messages).toHaveLength(1);
      expect(warnings.length).toBeGreaterThan(0);
    } finally {
      await relay.stop();
    }
  });
});
