import { randomUUID } from 'node:crypto';
import {
  decodeImageUploaded,
  InvalidMessageError,
  UnknownVersionError,
  type ImageUploaded,
} from './index';

const anEvent = (overrides: Partial<Record<keyof ImageUploaded, unknown>> = {}) => ({
  type: 'image.uploaded',
  version: 1,
  eventId: randomUUID(),
  imageId: randomUUID(),
  bucket: 'local',
  key: 'originals/x',
  contentType: 'image/jpeg',
  size: 1234,
  uploadedAt: new Date().toISOString(),
  correlationId: 'req-1',
  ...overrides,
});

describe('decodeImageUploaded', () => {
  it('decodes a raw body', () => {
    const event = anEvent();
    expect(decodeImageUploaded(JSON.stringify(event))).toEqual(event);
  });

  it('decodes an SNS envelope whose Message holds the event', () => {
    const event = anEvent();
    const envelope = {
      Type: 'Notification',
      TopicArn: 'arn:aws:sns:eu-west-1:1:t',
      Message: JSON.stringify(event),
    };
    expect(decodeImageUploaded(JSON.stringify(envelope))).toEqual(event);
  });

  it('rejects a body that is not JSON, as permanent', () => {
    const act = () => decodeImageUploaded('not json');
    expect(act).toThrow(InvalidMessageError);
    expect(act).toThrow('body is not JSON');
  });

  it('rejects an unknown version with its own error', () => {
    expect(() => decodeImageUploaded(JSON.stringify(anEvent({ version: 2 })))).toThrow(
      UnknownVersionError,
    );
  });

  it('rejects another event type', () => {
    expect(() => decodeImageUploaded(JSON.stringify(anEvent({ type: 'image.deleted' })))).toThrow(
      'unexpected event type "image.deleted"',
    );
  });

  it('says which field is wrong', () => {
    expect(() => decodeImageUploaded(JSON.stringify(anEvent({ imageId: 'nope' })))).toThrow(
      /imageId/,
    );
  });

  it('rejects an SNS envelope whose Message is not JSON', () => {
    const envelope = { Type: 'Notification', Message: '{oops' };
    expect(() => decodeImageUploaded(JSON.stringify(envelope))).toThrow('body.Message is not JSON');
  });
});
