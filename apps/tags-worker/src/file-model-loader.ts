import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface WeightsGroup {
  paths: string[];
  weights: unknown[];
}

/** The slice of `tf.io` this loader uses (tfjs-core 4.x). */
export interface TfIo {
  registerLoadRouter(router: (url: string | string[]) => unknown): void;
  getModelArtifactsForJSON(
    modelJson: unknown,
    loadWeights: (manifest: WeightsGroup[]) => Promise<[unknown[], ArrayBuffer]>,
  ): Promise<unknown>;
  concatenateArrayBuffers(buffers: ArrayBuffer[]): ArrayBuffer;
}

const registered = new WeakSet<TfIo>();

/**
 * Lets tfjs load `file://` model URLs from disk. Without tfjs-node, tfjs only knows HTTP and
 * hands `file://` to `fetch`, which Node's fetch does not implement.
 */
export function registerFileModelLoader(io: TfIo): void {
  // tfjs refuses a URL that two routers claim: register once per tfjs instance.
  if (registered.has(io)) return;
  registered.add(io);
  io.registerLoadRouter((url) => {
    if (typeof url !== 'string' || !url.startsWith('file://')) return null;
    const modelFile = fileURLToPath(url);
    return {
      load: async () => {
        const modelJson: unknown = JSON.parse(await readFile(modelFile, 'utf8'));
        return io.getModelArtifactsForJSON(modelJson, async (manifest) => {
          const specs = manifest.flatMap((group) => group.weights);
          const files = manifest.flatMap((group) => group.paths);
          const buffers = await Promise.all(
            files.map(async (file) =>
              toArrayBuffer(await readFile(join(dirname(modelFile), file))),
            ),
          );
          return [specs, io.concatenateArrayBuffers(buffers)];
        });
      },
    };
  });
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
