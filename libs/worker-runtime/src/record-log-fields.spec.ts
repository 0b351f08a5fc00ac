import { anImageUploaded, anSqsRecord, inSnsEnvelope } from '@gallery/messaging/testing';
import { recordLogFields } from './record-log-fields';

describe('recordLogFields', () => {
  it('gives a raw event’s ids with the message id and receive count', () => {
    // prepare
    const event = anImageUploaded();
    const record = anSqsRecord(JSON.stringify(event), 'm-1');

    // act
    const fields = recordLogFields(record);

    // assess
    expect(fields).toEqual({
      messageId: 'm-1',
      receiveCount: 1,
      eventId: event.eventId,
      imageId: event.imageId,
      correlationId: event.correlationId,
    });
  });

  it('reads the event inside an SNS envelope', () => {
    const event = anImageUploaded();

    const fields = recordLogFields(anSqsRecord(inSnsEnvelope(event), 'm-2'));

    expect(fields).toMatchObject({ imageId: event.imageId, correlationId: event.correlationId });
  });

  it('keeps only the ids a body has, as strings, and never throws on one that is not JSON', () => {
    const partial = anSqsRecord(JSON.stringify({ imageId: 'x', correlationId: 7 }), 'm-3');
    const garbage = anSqsRecord('this is not json', 'm-4');
    const array = anSqsRecord('[1, 2]', 'm-5');

    expect(recordLogFields(partial)).toEqual({ messageId: 'm-3', receiveCount: 1, imageId: 'x' });
    expect(recordLogFields(garbage)).toEqual({ messageId: 'm-4', receiveCount: 1 });
    expect(recordLogFields(array)).toEqual({ messageId: 'm-5', receiveCount: 1 });
  });
});
