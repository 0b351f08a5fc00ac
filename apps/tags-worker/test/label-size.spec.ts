import { DetectLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { randomUUID } from 'node:crypto';
import { InvalidImageError } from '@gallery/imaging';
import { solidImage } from '@gallery/imaging/testing';
import { isPermanent, reasonOf } from '@gallery/messaging';
import { originalKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import { mockClient } from 'aws-sdk-client-mock';
import { checkLabelSize, MIN_LABEL_SIDE } from '../src/label-size';
import type { Labeler } from '../src/labeler';
import { createLocalLabeler } from '../src/local-labeler';
import { createRekognitionLabeler, REKOGNITION_LIMITS } from '../src/rekognition-labeler';

describe('checkLabelSize', () => {
  it('takes an image whose shorter side is exactly the minimum, 80 px', () => {
    expect(MIN_LABEL_SIDE).toBe(80);
    expect(() => checkLabelSize({ width: 80, height: 4000 })).not.toThrow();
  });

  it('refuses, as permanent, an image one pixel short on either side, naming its size', () => {
    for (const size of [
      { width: 79, height: 500 },
      { width: 500, height: 79 },
    ]) {
      let thrown: unknown;
      try {
        checkLabelSize(size);
      } catch (error) {
        thrown = error;
      }

      expect(thrown).toBeInstanceOf(InvalidImageError);
      expect(isPermanent(thrown)).toBe(true);
      expect((thrown as Error).message).toBe(
        `image is ${size.width}×${size.height} px; labels need at least 80 px a side`,
      );
    }
  });

  it('is the minimum the Rekognition labeler holds to', () => {
    expect(REKOGNITION_LIMITS.minSide).toBe(MIN_LABEL_SIDE);
  });
});

describe('an image too small to label, whichever labeler runs', () => {
  const store = createMemoryObjectStore('photos');
  const client = new RekognitionClient({ region: 'eu-west-1' });
  const rekognition = mockClient(client);
  let modelLoads = 0;
  const labelers: Labeler[] = [
    createLocalLabeler({
      store,
      minConfidence: 40,
      loadDetector: async () => {
        modelLoads += 1;
        return { detect: async () => [{ label: 'dog', score: 0.9 }] };
      },
    }),
    createRekognitionLabeler({ client, store }),
  ];

  beforeEach(() => {
    rekognition.reset();
    rekognition.on(DetectLabelsCommand).resolves({ Labels: [{ Name: 'Dog', Confidence: 90 }] });
  });

  it.each([
    ['a 40×40 PNG', 40, 40, 'png', 'image/png'],
    ['a 300×60 JPEG', 300, 60, 'jpeg', 'image/jpeg'],
    ['a 60×300 WebP', 60, 300, 'webp', 'image/webp'],
  ] as const)(
    'refuses %s with the same permanent reason from both, before any model or service',
    async (_, width, height, format, contentType) => {
      // prepare
      const data = await solidImage(width, height, format);
      const key = originalKey(randomUUID());
      await store.put(key, data, { contentType });
      const ref = { bucket: store.bucket, key, contentType, size: data.length };

      // act
      const errors = await Promise.all(
        labelers.map((labeler) => labeler.label(ref).catch((error: unknown) => error)),
      );

      // assess
      const expected = `InvalidImageError: image is ${width}×${height} px; labels need at least 80 px a side`;
      expect(errors.map((error) => isPermanent(error))).toEqual([true, true]);
      expect(errors.map(reasonOf)).toEqual([expected, expected]);
      expect(modelLoads).toBe(0);
      expect(rekognition.commandCalls(DetectLabelsCommand)).toHaveLength(0);
    },
  );

  it('labels an image of exactly 80 px a side with both', async () => {
    // prepare
    const data = await solidImage(80, 80, 'png');
    const key = originalKey(randomUUID());
    await store.put(key, data, { contentType: 'image/png' });
    const ref = { bucket: store.bucket, key, contentType: 'image/png', size: data.length };

    // act
    const results = await Promise.all(labelers.map((labeler) => labeler.label(ref)));

    // assess
    expect(results.map((labels) => labels.map((label) => label.name))).toEqual([
      ['animal', 'dog'],
      ['dog'],
    ]);
  });
});
