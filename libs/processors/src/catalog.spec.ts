import { CATALOG, catalogProblems, processorNamed, PROCESSORS, RESULTS } from './index';

describe('the processor catalog', () => {
  it('is sound', () => {
    expect(catalogProblems()).toEqual([]);
  });

  it('has a result schema for each processor and none other', () => {
    expect(Object.keys(RESULTS).sort()).toEqual([...PROCESSORS].sort());
  });

  it('finds an entry by name', () => {
    expect(processorNamed('tags').queue).toBe('tags');
  });

  it('names what is wrong with a broken catalog', () => {
    const [thumbnail] = CATALOG;
    const broken = [
      thumbnail,
      {
        ...thumbnail,
        name: 'Thumb nail',
        project: 'other-worker',
        route: 'other',
        lambda: { ...thumbnail.lambda, batchSize: 11, writesPrefixes: ['originals'] },
      },
    ];
    expect(catalogProblems(broken)).toEqual([
      'Thumb nail: name "Thumb nail" is not a-z0-9-',
      'Thumb nail: queue "thumbnails" is used twice',
      'Thumb nail: batchSize 11 is not an integer from 1 to 10',
      'Thumb nail: no worker writes originals',
    ]);
  });
});
