import { aFailure } from '../test/a-failure';
import { describeFailure, failureCountLabel, formatFailureTime, redriveText } from './failure-text';

const UTC_GB = { locale: 'en-GB', timeZone: 'UTC' };

describe('describeFailure', () => {
  it('names the image when it is loaded here', () => {
    const failure = aFailure({ queue: 'tags', receiveCount: 5 });
    const nameOf = (id: string) => (id === failure.imageId ? 'Beach' : null);

    expect(describeFailure(failure, nameOf, UTC_GB)).toEqual({
      subject: 'Beach',
      queue: 'tags',
      reason: failure.reason,
      attempts: 'received 5 times',
      time: '1 Mar 2026, 12:00',
    });
  });

  it('falls back to the image id when the image is not loaded', () => {
    const failure = aFailure({ imageId: '3f1c0d7e-0000-4000-8000-000000000001' });

    expect(describeFailure(failure, () => null).subject).toBe(failure.imageId);
  });

  it('names the message when it is about no image', () => {
    const failure = aFailure({ imageId: null, messageId: 'm-1' });

    expect(describeFailure(failure, () => 'never asked').subject).toBe('message m-1 (no image)');
  });

  it('says "time" once and "times" otherwise', () => {
    expect(describeFailure(aFailure({ receiveCount: 1 }), () => null).attempts).toBe(
      'received 1 time',
    );
    expect(describeFailure(aFailure({ receiveCount: 0 }), () => null).attempts).toBe(
      'received 0 times',
    );
  });

  it('still says something when the reason is blank', () => {
    expect(describeFailure(aFailure({ reason: '  ' }), () => null).reason).toBe('no reason given');
  });
});

describe('formatFailureTime', () => {
  it('shows the date and time in the given locale and zone', () => {
    expect(
      formatFailureTime('2026-03-01T23:30:00.000Z', { locale: 'en-GB', timeZone: 'Asia/Tokyo' }),
    ).toBe('2 Mar 2026, 08:30');
  });

  it('shows the text as it came when it is no date', () => {
    expect(formatFailureTime('yesterday')).toBe('yesterday');
  });
});

describe('counts', () => {
  it('says how many were sent back', () => {
    expect(redriveText(2)).toBe('2 sent back');
  });

  it('labels the badge in words', () => {
    expect(failureCountLabel(1)).toBe('1 failure');
    expect(failureCountLabel(3)).toBe('3 failures');
  });
});
