import { asInvalidImage, openImage, type SharpLib } from '@gallery/imaging';
import type { ObjectStore } from '@gallery/storage';
import sharp from 'sharp';
import { parentOf } from './categories';
import { checkLabelSize } from './label-size';
import { normaliseLabels, type Label, type Labeler } from './labeler';
import {
  loadObjectDetector,
  type Detection,
  type ObjectDetector,
  type ObjectDetectorOptions,
} from './object-detector';

/** CenterNet takes 512 px; decoding much larger only costs memory. */
const DETECTION_SIDE = 640;
const MAX_DETECTED = 10;

export interface LocalLabelerDeps {
  store: ObjectStore;
  /** Labels scoring lower are dropped, in percent. */
  minConfidence: number;
  loadDetector?: (options: ObjectDetectorOptions) => Promise<ObjectDetector>;
  sharp?: SharpLib;
}

export interface LocalLabeler extends Labeler {
  /** Loads the model now rather than on the first image; resolves when it is ready. */
  load(): Promise<void>;
}

/**
 * Labels offline with COCO object detection: each detected class becomes a label, and so does
 * its parent category, with the child's confidence. The model is loaded once, on first use,
 * and detections run one at a time (the model holds state between calls).
 */
export function createLocalLabeler(deps: LocalLabelerDeps): LocalLabeler {
  const sharpLib = deps.sharp ?? sharp;
  const loadDetector = deps.loadDetector ?? loadObjectDetector;
  let detector: Promise<ObjectDetector> | undefined;
  let running: Promise<unknown> = Promise.resolve();

  function loaded(): Promise<ObjectDetector> {
    if (!detector) {
      const loading = loadDetector({
        minConfidence: deps.minConfidence / 100,
        maxDetected: MAX_DETECTED,
      });
      // A failed load is forgotten, so that the next image tries again.
      loading.catch(() => (detector = undefined));
      detector = loading;
    }
    return detector;
  }

  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const next = running.then(work, work);
    running = next.catch(() => undefined);
    return next;
  }

  return {
    name: 'local-coco',
    async load() {
      await loaded();
    },
    async label(ref) {
      const bytes = await deps.store.read(ref.key);
      const { image, metadata } = await openImage(bytes, sharpLib);
      // Refused as Rekognition refuses it, before any decoding or the model.
      checkLabelSize(metadata);
      const { data, info } = await asInvalidImage(
        image
          .autoOrient()
          .resize(DETECTION_SIDE, DETECTION_SIDE, { fit: 'inside', withoutEnlargement: true })
          .removeAlpha()
          .toColourspace('srgb')
          .raw()
          .toBuffer({ resolveWithObject: true }),
      );
      const model = await loaded();
      const detections = await oneAtATime(() =>
        model.detect({ data, width: info.width, height: info.height }),
      );
      return labelsFromDetections(detections, deps.minConfidence);
    },
  };
}

/** Each detection as a label, plus its parent category with the same confidence. */
export function labelsFromDetections(detections: Detection[], minConfidence: number): Label[] {
  const labels: Label[] = [];
  for (const { label, score } of detections) {
    const confidence = score * 100;
    if (confidence < minConfidence) continue;
    const name = label.toLowerCase();
    labels.push({ name, confidence });
    const parent = parentOf(name);
    if (parent) labels.push({ name: parent, confidence });
  }
  return normaliseLabels(labels);
}
