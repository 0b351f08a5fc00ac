import { CATALOG } from '@gallery/processors';
import { layerIds, pascal, processorIds, processorResources } from './processor-resources';

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

describe("a processor's function", () => {
  it('lists the sharp layer when its processor needs sharp, and no layer otherwise', () => {
    const [thumbnail] = CATALOG;

    expect(thumbnail.sharp).toBe(true);
    expect(processorResources(thumbnail)).toContain('      Layers: [!Ref SharpLayer]\n');
    expect(processorResources({ ...thumbnail, sharp: false })).not.toContain('Layers:');
  });

  it("takes the layer's logical ids from its name", () => {
    expect(layerIds('sharp')).toEqual({ layer: 'SharpLayer', codeKey: 'SharpLayerCodeKey' });
  });
});
