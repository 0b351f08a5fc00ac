import { PermanentError, type DeadLetterSink } from '@gallery/messaging';
import {
  anImageUploaded,
  anSqsEvent,
  anSqsRecord,
  collectingDeadLetters,
} from '@gallery/messaging/testing';
import { processBatch } from './batch';

describe('processBatch', () => {
  it('reports only the records that failed with a retryable error', async () => {
    // prepare
    const { sink, sent } = collectingDeadLetters();
    const event = anSqsEvent(
      anSqsRecord('ok', 'a'),
      anSqsRecord('flaky', 'b'),
      anSqsRecord('ok', 'c'),
    );
    // act
    const response = await processBatch(
      event,
      async (record) => {
        if (record.body === 'flaky') throw new Error('connection reset');
        return 'done';
      },
      { deadLetters: sink },
    );
    // assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'b' }]);
    expect(sent).toEqual([]);
  });

  it('dead-letters a permanent failure with its reason and lets its siblings succeed', async () => {
    const { sink, sent } = collectingDeadLetters();
    const event = anSqsEvent(anSqsRecord('corrupt', 'a'), anSqsRecord('ok', 'b'));
    const response = await processBatch(
      event,
      async (record) => {
        if (record.body === 'corrupt') throw new PermanentError('not a decodable image');
        return 'done';
      },
      { deadLetters: sink },
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(sent).toEqual([{ messageId: 'a', reason: 'PermanentError: not a decodable image' }]);
  });

  it('reports every record, without throwing, when the whole batch fails', async () => {
    const { sink } = collectingDeadLetters();
    const response = await processBatch(
      anSqsEvent(anSqsRecord('x', 'a'), anSqsRecord('y', 'b')),
      async () => {
        throw new Error('api down');
      },
      { deadLetters: sink },
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }]);
  });

  it('logs each record as received and as handled with its event’s image and correlation ids', async () => {
    // prepare
    const { sink } = collectingDeadLetters();
    const [ok, bad] = [anImageUploaded(), anImageUploaded()];
    const lines: { message: string; fields: Record<string, unknown> }[] = [];
    const log = (fields: object, message: string) =>
      void lines.push({ message, fields: fields as Record<string, unknown> });

    // act
    await processBatch(
      anSqsEvent(anSqsRecord(JSON.stringify(ok), 'a'), anSqsRecord(JSON.stringify(bad), 'b')),
      async (record) => {
        if (record.messageId === 'b') throw new PermanentError('corrupt');
        return 'done';
      },
      { deadLetters: sink, logger: { info: log, error: log } },
    );

    // assess
    const linesOf = (event: typeof ok) =>
      lines
        .filter(({ fields }) => fields['imageId'] === event.imageId)
        .map(({ message, fields }) => [message, fields['correlationId'], fields['eventId']]);
    expect(linesOf(ok)).toEqual([
      ['record received', ok.correlationId, ok.eventId],
      ['record processed', ok.correlationId, ok.eventId],
    ]);
    expect(linesOf(bad)).toEqual([
      ['record received', bad.correlationId, bad.eventId],
      ['record dead-lettered', bad.correlationId, bad.eventId],
    ]);
    expect(lines).toHaveLength(4);
  });

  it('retries a permanent failure whose dead-lettering itself failed', async () => {
    const sink: DeadLetterSink = {
      send: async () => {
        throw new Error('disk full');
      },
    };
    const response = await processBatch(
      anSqsEvent(anSqsRecord('x', 'a')),
      async () => {
        throw new PermanentError('bad');
      },
      { deadLetters: sink },
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
  });
});
