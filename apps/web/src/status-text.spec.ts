import { anImage } from '../test/an-image';
import { hasFailure, statusParts } from './status-text';

describe('statusParts', () => {
  it('says what is still running', () => {
    const image = anImage({ status: { thumbnail: 'pending', tags: 'pending' } });

    expect(statusParts(image).map((p) => p.text)).toEqual(['making thumbnail…', 'tagging…']);
  });

  it('says nothing once every processor is done', () => {
    expect(statusParts(anImage({ status: { thumbnail: 'done', tags: 'done' } }))).toEqual([]);
  });

  it('gives the reason of a failure', () => {
    const image = anImage({
      status: { thumbnail: 'failed', tags: 'done' },
      errors: { thumbnail: 'HEIC is not supported' },
    });

    expect(statusParts(image)).toEqual([
      { kind: 'failed', text: 'thumbnail failed: HEIC is not supported' },
    ]);
  });

  it('still says a processor failed when no reason came with it', () => {
    const image = anImage({ status: { thumbnail: 'done', tags: 'failed' } });

    expect(statusParts(image)).toEqual([{ kind: 'failed', text: 'tagging failed: unknown error' }]);
  });
});

describe('hasFailure', () => {
  it.each([
    ['thumbnail', { thumbnail: 'failed', tags: 'done' }, true],
    ['tags', { thumbnail: 'done', tags: 'failed' }, true],
    ['neither', { thumbnail: 'done', tags: 'pending' }, false],
  ] as const)('says whether a processor failed: %s', (_, status, failed) => {
    expect(hasFailure(anImage({ status }))).toBe(failed);
  });
});
