import { CATALOG } from '@gallery/processors';
import { pascal, processorIds } from './processor-resources';

describe("a processor's logical ids", () => {
  it('are those the stack was first deployed with, so an update replaces nothing', () => {
    const [thumbnail, tags] = CATALOG;

    expect(processorIds(thumbnail)).toMatchObject({
      queue: 'ThumbnailsQueue',
      deadLetterQueue: 'ThumbnailsDeadLetterQueue',
      role: 'ThumbnailWorkerRole',
      function: 'ThumbnailWorkerFunction',
      codeKey: 'ThumbnailWorkerCodeKey',
      secretParameter: 'ThumbnailCallbackSecretParameter',
    });
    expect(processorIds(tags)).toMatchObject({
      queue: 'TagsQueue',
      mapping: 'TagsWorkerEventSourceMapping',
      ageAlarm: 'TagsQueueAgeAlarm',
    });
  });

  it('come from names with dashes as one word each', () => {
    expect(pascal('photo-metadata-worker')).toBe('PhotoMetadataWorker');
  });
});
