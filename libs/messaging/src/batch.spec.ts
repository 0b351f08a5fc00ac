import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { processBatch } from './batch';
import type { DeadLetterSink } from './dead-letter';
import { PermanentError } from './errors';

const aRecord = (messageId: string, body: string): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '0',
    SenderId: 'local',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:local:0:thumbnails',
  awsRegion: 'local',
});

const anEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

function collectingSink() {
  const sent: { messageId: string; reason: string }[] = [];
  const sink: DeadLetterSink = {
    send: async (record, reason) => void sent.push({ messageId: record.messageId, reason }),
  };
  return { sink, sent };
}

describe('processBatch', () => {
  it('reports only the records that failed with a retryable error', async () => {
    // prepare
    const { sink, sent } = collectingSink();
    const event = anEvent(aRecord('a', 'ok'), aRecord('b', 'flaky'), aRecord('c', 'ok'));
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
    const { sink, sent } = collectingSink();
    const event = anEvent(aRecord('a', 'corrupt'), aRecord('b', 'ok'));
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
    const { sink } = collectingSink();
    const response = await processBatch(
      anEvent(aRecord('a', 'x'), aRecord('b', 'y')),
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
      anEvent(aRecord('a', 'x')),
      async () => {
        throw new PermanentError('bad');
      },
      { deadLetters: sink },
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a' }]);
  });
});
