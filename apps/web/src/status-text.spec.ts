import { CATALOG, perProcessor } from '@gallery/processors';
import { anImage } from '../test/an-image';
import { hasFailure, statusParts } from './status-text';

const allDone = perProcessor(() => 'done' as const);

describe('statusParts', () => {
  it('says what is still running, in the catalog’s words', () => {
    const image = anImage();

    const texts = statusParts(image).map((p) => p.text);

    expect(texts).toEqual(CATALOG.map((entry) => entry.pendingText));
    expect(texts.slice(0, 2)).toEqual(['making thumbnail…', 'tagging…']);
  });

  it('says nothing once every processor is done', () => {
    expect(statusParts(anImage({ status: allDone }))).toEqual([]);
  });

  it('gives the reason of a failure', () => {
    const image = anImage({
      status: { ...allDone, thumbnail: 'failed' },
      errors: { thumbnail: 'HEIC is not supported' },
    });

    expect(statusParts(image)).toEqual([
      { kind: 'failed', text: 'thumbnail failed: HEIC is not supported' },
    ]);
  });

  it('still says a processor failed when no reason came with it', () => {
    const image = anImage({ status: { ...allDone, tags: 'failed' } });

    expect(statusParts(image)).toEqual([{ kind: 'failed', text: 'tagging failed: unknown error' }]);
  });
});

describe('hasFailure', () => {
  it.each([
    ['thumbnail', { ...allDone, thumbnail: 'failed' }, true],
    ['tags', { ...allDone, tags: 'failed' }, true],
    ['none', { ...allDone, tags: 'pending' }, false],
  ] as const)('says whether a processor failed: %s', (_, status, failed) => {
    expect(hasFailure(anImage({ status }))).toBe(failed);
  });
});
