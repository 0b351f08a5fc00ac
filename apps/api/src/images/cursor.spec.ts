import { decodeCursor, encodeCursor } from './cursor';
import { InvalidCursorError } from './errors';

describe('list cursors', () => {
  it('round-trips a position', () => {
    const position = {
      createdAt: new Date('2026-03-01T12:00:00.123Z'),
      id: '3f1c1f0e-8d9b-4c37-9a59-0d5b3c1f0e8d',
    };

    const cursor = encodeCursor(position);

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 JSON', '!!!'],
    ['JSON of another shape', Buffer.from('{"createdAt":1}').toString('base64url')],
    [
      'a bad date',
      Buffer.from('["yesterday","3f1c1f0e-8d9b-4c37-9a59-0d5b3c1f0e8d"]').toString('base64url'),
    ],
    ['a bad id', Buffer.from('["2026-03-01T12:00:00.000Z","x"]').toString('base64url')],
  ])('refuses %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
