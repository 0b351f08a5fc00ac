import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { solidImage, svg } from '@gallery/imaging/testing';
import { PermanentError } from '@gallery/messaging';
import { originalKey } from '@gallery/storage';
import { createMemoryObjectStore } from '@gallery/storage/testing';
import sharp from 'sharp';
import { COCO_PARENTS } from '../src/categories';
import { LabelerUnavailableError } from '../src/errors';
import { createLocalLabeler, labelsFromDetections } from '../src/local-labeler';
import type { ObjectDetector, ObjectDetectorOptions } from '../src/object-detector';
import { peoplePhotoPath } from '@gallery/imaging/testing';

const store = createMemoryObjectStore('local');

async function anOriginal(data: Buffer, contentType = 'image/jpeg') {
  const key = originalKey(randomUUID());
  await store.put(key, data, { contentType });
  return { bucket: store.bucket, key, contentType, size: data.length };
}

/** A detector that finds what it is told, counting how often it was loaded. */
function fakeDetector(found: { label: string; score: number }[]) {
  const loads: ObjectDetectorOptions[] = [];
  const detector: ObjectDetector = { detect: async () => found };
  return {
    loads,
    loadDetector: async (options: ObjectDetectorOptions) => {
      loads.push(options);
      return detector;
    },
  };
}

describe('labelsFromDetections', () => {
  it('tags each detected class and its parent, with the confidence in percent', () => {
    const labels = labelsFromDetections(
      [
        { label: 'cat', score: 0.47 },
        { label: 'dog', score: 0.62 },
        { label: 'cup', score: 0.45 },
      ],
      40,
    );

    expect(labels).toEqual([
      { name: 'animal', confidence: 62 },
      { name: 'dog', confidence: 62 },
      { name: 'cat', confidence: 47 },
      { name: 'cup', confidence: 45 },
      { name: 'kitchenware', confidence: 45 },
    ]);
  });

  it('drops detections under the threshold, and keeps the best of repeated classes', () => {
    const labels = labelsFromDetections(
      [
        { label: 'person', score: 0.6 },
        { label: 'person', score: 0.41 },
        { label: 'car', score: 0.39 },
      ],
      40,
    );

    expect(labels).toEqual([
      { name: 'people', confidence: 60 },
      { name: 'person', confidence: 60 },
    ]);
  });
});

describe('local labeler, with a stand-in detector', () => {
  it('loads the detector once, with the threshold as a fraction, for images labelled at once', async () => {
    const { loads, loadDetector } = fakeDetector([{ label: 'dog', score: 0.9 }]);
    const labeler = createLocalLabeler({ store, minConfidence: 40, loadDetector });
    const images = await Promise.all(
      [1, 2, 3].map(async () => anOriginal(await solidImage(200, 100, 'jpeg'))),
    );

    const results = await Promise.all(images.map((image) => labeler.label(image)));

    expect(loads).toEqual([{ minConfidence: 0.4, maxDetected: 10 }]);
    expect(results).toEqual(
      images.map(() => [
        { name: 'animal', confidence: 90 },
        { name: 'dog', confidence: 90 },
      ]),
    );
  });

  it('tries to load the model again after a failed load', async () => {
    let attempts = 0;
    const labeler = createLocalLabeler({
      store,
      minConfidence: 40,
      loadDetector: async () => {
        attempts += 1;
        if (attempts === 1) throw new LabelerUnavailableError('not yet');
        return { detect: async () => [] };
      },
    });

    await expect(labeler.load()).rejects.toThrow('not yet');
    await expect(labeler.load()).resolves.toBeUndefined();
    expect(attempts).toBe(2);
  });

  it('refuses, as permanent, bytes that are not an image it accepts, before loading the model', async () => {
    const { loads, loadDetector } = fakeDetector([]);
    const labeler = createLocalLabeler({ store, minConfidence: 40, loadDetector });
    const image = await anOriginal(svg, 'image/svg+xml');

    const error = await labeler.label(image).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(PermanentError);
    expect(loads).toHaveLength(0);
  });
});

describe("local labeler, on an image under Rekognition's minimum size", () => {
  it('refuses a 40×40 PNG as permanent, naming its size and the minimum, before loading the model', async () => {
    // prepare
    const { loads, loadDetector } = fakeDetector([{ label: 'dog', score: 0.9 }]);
    const labeler = createLocalLabeler({ store, minConfidence: 40, loadDetector });
    const image = await anOriginal(await solidImage(40, 40, 'png'), 'image/png');

    // act
    const error = await labeler.label(image).catch((e: unknown) => e);

    // assess
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toBe('image is 40×40 px; labels need at least 80 px a side');
    expect(loads).toHaveLength(0);
  });

  it('refuses a strip 79 px wide however tall it is', async () => {
    // prepare
    const { loadDetector } = fakeDetector([]);
    const labeler = createLocalLabeler({ store, minConfidence: 40, loadDetector });
    const image = await anOriginal(await solidImage(79, 2000, 'jpeg'));

    // act
    const error = await labeler.label(image).catch((e: unknown) => e);

    // assess
    expect((error as Error).message).toMatch(/79×2000 px; labels need at least 80 px a side/);
  });
});

describe('local labeler, with the real model offline', () => {
  // One labeler for the file: the model loads once, as in the worker.
  const labeler = createLocalLabeler({ store, minConfidence: 25 });
  beforeAll(() => labeler.load(), 60_000);

  it('finds people in a real photo, and files them under their parent', async () => {
    const image = await anOriginal(await readFile(peoplePhotoPath()));

    const labels = await labeler.label(image);

    const person = labels.find((label) => label.name === 'person');
    expect(person).toBeDefined();
    expect(labels).toContainEqual({ name: 'people', confidence: person?.confidence });
  });

  it('returns lower-case, sorted labels within the threshold, each with its parent', async () => {
    const photo = await readFile(peoplePhotoPath());
    // A greyscale PNG of the same photo: one channel in, three expected by the model.
    const grey = await sharp(photo).greyscale().png().toBuffer();
    const image = await anOriginal(grey, 'image/png');

    const labels = await labeler.label(image);

    expect(labels.length).toBeGreaterThan(0);
    const confidences = labels.map((label) => label.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    for (const { name, confidence } of labels) {
      expect(name).toBe(name.toLowerCase());
      expect(confidence).toBeGreaterThanOrEqual(25);
      expect(confidence).toBeLessThanOrEqual(100);
    }
    const parents = new Set(Object.values(COCO_PARENTS));
    for (const { name, confidence } of labels.filter((label) => !parents.has(label.name))) {
      const parent = COCO_PARENTS[name as keyof typeof COCO_PARENTS];
      expect(labels.find((label) => label.name === parent)?.confidence).toBeGreaterThanOrEqual(
        confidence,
      );
    }
  });

  it('finds nothing in a blank image', async () => {
    const image = await anOriginal(await solidImage(640, 480, 'png'), 'image/png');

    await expect(labeler.label(image)).resolves.toEqual([]);
  });
});
