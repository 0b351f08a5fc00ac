import { sendCallback, tagsDone, thumbnailsDone } from './support/callbacks';
import { createRecordingLogger } from './support/recording-logger';
import { seedImage } from './support/seed';
import { buildTestApp, SECRETS, type TestApp } from './support/test-app';
import { openTestDatabase, type TestDatabase } from './support/test-database';

describe('the callback routes’ log', () => {
  let database: TestDatabase;
  let test: TestApp;
  const { logger, lines } = createRecordingLogger();

  beforeAll(async () => {
    database = await openTestDatabase();
    test = await buildTestApp(database, {}, { logger });
  });
  afterAll(async () => {
    await test.app.close();
    await database.close();
  });

  it('says which processor reported on which image, with the worker’s correlation id', async () => {
    // prepare
    const id = await seedImage(database);
    const headers = { 'x-correlation-id': 'upload-request-1' };

    // act
    await sendCallback(test.app, id, 'thumbnails', thumbnailsDone(id), {
      secret: SECRETS.thumbnail[0],
      headers,
    });
    await sendCallback(test.app, id, 'tags', tagsDone(id), { secret: SECRETS.tags[0], headers });

    // assess
    expect(
      lines
        .filter((line) => line.msg === 'callback recorded')
        .map(({ processor, imageId, outcome, correlationId }) => ({
          processor,
          imageId,
          outcome,
          correlationId,
        })),
    ).toEqual([
      {
        processor: 'thumbnail',
        imageId: id,
        outcome: 'changed',
        correlationId: 'upload-request-1',
      },
      { processor: 'tags', imageId: id, outcome: 'changed', correlationId: 'upload-request-1' },
    ]);
  });
});
