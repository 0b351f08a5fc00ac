import { DetectLabelsCommand, RekognitionClient, type Image } from '@aws-sdk/client-rekognition';
import type { SharpLib } from '@gallery/imaging';
import { PermanentError } from '@gallery/messaging';
import type { ObjectStore } from '@gallery/storage';
import sharp from 'sharp';
import { jpegRendition } from './jpeg-rendition';
import { checkLabelSize, MIN_LABEL_SIDE } from './label-size';
import { normaliseLabels, type ImageRef, type Label, type Labeler } from './labeler';

/**
 * Rekognition's limits: JPEG or PNG only, read from S3 up to 15 MB and 10,000 px a side, sent
 * as bytes up to 5 MB (renditions are made at most 4096 px a side), at least 80 px a side.
 */
export const REKOGNITION_LIMITS = {
  formats: new Set(['image/jpeg', 'image/png']),
  maxS3Bytes: 15 * 1024 * 1024,
  maxS3Side: 10_000,
  maxInlineBytes: 5 * 1024 * 1024,
  maxSide: 4096,
  minSide: MIN_LABEL_SIDE,
} as const;

/** JPEG and PNG say their size in their first bytes; 64 KB covers EXIF and ICC before it. */
export const HEADER_BYTES = 64 * 1024;

export const DETECT_LABELS = { MaxLabels: 10, MinConfidence: 70 } as const;

/** Errors the image or the set-up causes: retrying cannot help, so they go to the DLQ at once. */
const PERMANENT = new Set([
  'InvalidImageFormatException',
  'ImageTooLargeException',
  'InvalidS3ObjectException',
  'InvalidParameterException',
  'AccessDeniedException',
]);

export interface RekognitionLabelerDeps {
  /** Unset: a client of the region's Rekognition, or of `endpoint`. */
  client?: RekognitionClient;
  /** Another Rekognition endpoint than the region's own (a FIPS or VPC endpoint). */
  endpoint?: string;
  store: ObjectStore;
  sharp?: SharpLib;
}

/**
 * Labels with Rekognition `DetectLabels`. A JPEG or PNG up to 15 MB and 10,000 px a side (read
 * from its header by a ranged get) is read by Rekognition straight from S3; anything else is
 * sent as a JPEG rendition made with sharp. Each label's
 * parents become labels too, with the child's confidence.
 */
export function createRekognitionLabeler(deps: RekognitionLabelerDeps): Labeler {
  const sharpLib = deps.sharp ?? sharp;
  const client =
    deps.client ??
    // Throttling is Rekognition's usual answer under load: let the SDK back off a few times.
    new RekognitionClient({
      maxAttempts: 5,
      ...(deps.endpoint !== undefined && { endpoint: deps.endpoint }),
    });

  /** The image's pixel size from its header alone; undefined when the header does not say. */
  async function sidesOf(ref: ImageRef): Promise<{ width: number; height: number } | undefined> {
    const header = await deps.store.get(ref.key, {
      range: { start: 0, end: Math.min(ref.size, HEADER_BYTES) - 1 },
    });
    const chunks: Buffer[] = [];
    for await (const chunk of header.body) chunks.push(Buffer.from(chunk as Buffer));
    const metadata = await sharpLib(Buffer.concat(chunks))
      .metadata()
      .catch(() => undefined);
    const { width, height } = metadata ?? {};
    return width && height ? { width, height } : undefined;
  }

  async function imageFor(ref: ImageRef): Promise<Image> {
    if (
      REKOGNITION_LIMITS.formats.has(ref.contentType) &&
      ref.size > 0 &&
      ref.size <= REKOGNITION_LIMITS.maxS3Bytes
    ) {
      const sides = await sidesOf(ref);
      if (sides) checkLabelSize(sides, REKOGNITION_LIMITS.minSide);
      if (sides && Math.max(sides.width, sides.height) <= REKOGNITION_LIMITS.maxS3Side) {
        return { S3Object: { Bucket: ref.bucket, Name: ref.key } };
      }
      // Over 10,000 px a side, or a header sharp cannot read: a rendition settles both.
    }
    const bytes = await deps.store.read(ref.key);
    return {
      Bytes: await jpegRendition(sharpLib, bytes, {
        maxSide: REKOGNITION_LIMITS.maxSide,
        minSide: REKOGNITION_LIMITS.minSide,
        maxBytes: REKOGNITION_LIMITS.maxInlineBytes,
      }),
    };
  }

  return {
    name: 'rekognition',
    async label(ref) {
      const image = await imageFor(ref);
      const response = await client
        .send(new DetectLabelsCommand({ Image: image, ...DETECT_LABELS }))
        .catch((error: unknown) => {
          throw classifyRekognitionError(error);
        });
      const labels: Label[] = [];
      for (const label of response.Labels ?? []) {
        if (!label.Name || label.Confidence === undefined) continue;
        labels.push({ name: label.Name, confidence: label.Confidence });
        for (const parent of label.Parents ?? []) {
          if (parent.Name) labels.push({ name: parent.Name, confidence: label.Confidence });
        }
      }
      return normaliseLabels(labels);
    },
  };
}

/**
 * Turns Rekognition's verdicts on the image into a PermanentError carrying the AWS message.
 * Throttling, internal errors and 5xx stay as they are: retryable (the SDK has already retried).
 */
export function classifyRekognitionError(error: unknown): unknown {
  if (error instanceof Error && PERMANENT.has(error.name)) {
    return new PermanentError(`Rekognition: ${error.name}: ${error.message}`, { cause: error });
  }
  return error;
}
