import { normaliseLabels } from '../src/labeler';

describe('normaliseLabels', () => {
  it('lower-cases names and keeps the highest confidence of each', () => {
    const labels = normaliseLabels([
      { name: 'Dog', confidence: 80 },
      { name: 'dog', confidence: 95.5 },
      { name: 'ANIMAL', confidence: 80 },
    ]);

    expect(labels).toEqual([
      { name: 'dog', confidence: 95.5 },
      { name: 'animal', confidence: 80 },
    ]);
  });

  it('sorts by confidence, then by name for equal confidences', () => {
    const labels = normaliseLabels([
      { name: 'b', confidence: 50 },
      { name: 'c', confidence: 90 },
      { name: 'a', confidence: 50 },
    ]);

    expect(labels.map((label) => label.name)).toEqual(['c', 'a', 'b']);
  });

  it('clamps confidences to 0–100 and rounds them to two decimals', () => {
    const labels = normaliseLabels([
      { name: 'over', confidence: 100.4 },
      { name: 'fine', confidence: 47.12345 },
      { name: 'under', confidence: -1 },
    ]);

    expect(labels).toEqual([
      { name: 'over', confidence: 100 },
      { name: 'fine', confidence: 47.12 },
      { name: 'under', confidence: 0 },
    ]);
  });

  it('drops blank and overlong names, and keeps at most 100 labels', () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ name: `l${i}`, confidence: i / 2 }));

    const labels = normaliseLabels([
      ...many,
      { name: '  ', confidence: 99 },
      { name: 'x'.repeat(101), confidence: 99 },
    ]);

    expect(labels).toHaveLength(100);
    expect(labels[0]).toEqual({ name: 'l149', confidence: 74.5 });
    expect(labels.some((label) => label.name.trim() === '' || label.name.length > 100)).toBe(false);
  });
});
