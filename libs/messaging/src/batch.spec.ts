import type { DeadLetterSink } from './dead-letter';
import { processBatch } from './batch';
import { PermanentError } from './errors';
import { anSqsEvent, anSqsRecord, collectingDeadLetters } from './testing';

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
