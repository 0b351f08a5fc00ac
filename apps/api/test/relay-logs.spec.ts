import { randomUUID } from 'node:crypto';
import { enqueueEvent } from '../src/outbox/enqueue';
import { startOutboxRelay } from '../src/outbox/relay-loop';
import { createCollectingPublisher } from './support/collecting-publisher';
import { createRecordingLogger } from './support/recording-logger';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the outbox relay’s log', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(async () => {
    await database.close();
  });

  it('says each event it published with its image id and its upload’s correlation id', async () => {
    // prepare
    const events = [1, 2].map(() => ({
      eventId: randomUUID(),
      imageId: randomUUID(),
      correlationId: randomUUID(),
    }));
    for (const payload of events) {
      await enqueueEvent(database.db, { type: 'image.uploaded', payload });
    }
    const publisher = createCollectingPublisher();
    const { logger, lines } = createRecordingLogger();

    // act
    const relay = startOutboxRelay({ db: database.db, publisher, logger, intervalMs: 3_600_000 });
    await publisher.received(2);
    await relay.stop();

    // assess
    expect(
      lines
        .filter((line) => line.msg === 'event published')
        .map(({ eventType, eventId, imageId, correlationId }) => ({
          eventType,
          eventId,
          imageId,
          correlationId,
        })),
    ).toEqual(events.map((event) => ({ eventType: 'image.uploaded', ...event })));
  });
});
