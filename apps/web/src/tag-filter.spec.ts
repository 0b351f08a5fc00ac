import { anImage, tagged } from '../test/an-image';
import { matchesTag, normalizeTag, parseTagList } from './tag-filter';

describe('tag filter', () => {
  it('treats a blank filter as none', () => {
    expect(normalizeTag('  ')).toBeNull();
    expect(normalizeTag(' cat ')).toBe('cat');
  });

  it('matches tags whatever their case, and everything without a filter', () => {
    const image = anImage({ tags: tagged('Cat', 'animal') });

    expect(matchesTag(image, 'cat')).toBe(true);
    expect(matchesTag(image, 'dog')).toBe(false);
    expect(matchesTag(image, null)).toBe(true);
  });

  it('reads comma-separated tags without blanks or repeats', () => {
    expect(parseTagList(' cat, garden ,, Cat ,sunny day')).toEqual(['cat', 'garden', 'sunny day']);
    expect(parseTagList('')).toEqual([]);
  });
});
