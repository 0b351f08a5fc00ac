import type { Label } from '@gallery/processors';
// A namespace import: a bundle then keeps only the zod it uses (`{ z }` keeps all of it).
import * as z from 'zod';

export type { Label };

/** The labeler's variables in Lambda: Rekognition, the only labeler there. */
export const LAMBDA_LABELER_ENV = z.object({
  LABELER: z.literal('rekognition').default('rekognition'),
  // Another Rekognition endpoint than the region's own (a FIPS or VPC endpoint).
  REKOGNITION_ENDPOINT: z.url().optional(),
});

/** The labeler's variables locally: Rekognition needs AWS, so only the offline labeler runs. */
export const LOCAL_LABELER_ENV = z.object({
  LABELER: z.literal('local').default('local'),
  /** Percent. */
  LABEL_MIN_CONFIDENCE: z.coerce.number().min(0).max(100).default(40),
});

/** Where the original is; a labeler reads it from there itself (by reference or by bytes). */
export interface ImageRef {
  bucket: string;
  key: string;
  contentType: string;
  size: number;
}

/**
 * The labeler port: Rekognition in AWS, COCO object detection offline. Returns labels with
 * lower-case names and confidences in percent, deduplicated and sorted by confidence. Throws
 * a permanent error when the image itself can never be labelled.
 */
export interface Labeler {
  /** Names the source of the tags, e.g. `rekognition`. */
  readonly name: string;
  label(image: ImageRef): Promise<Label[]>;
}

/** The callback accepts at most this many tags, each name at most this long. */
const MAX_LABELS = 100;
const MAX_NAME_LENGTH = 100;

/**
 * Lower-cases names, clamps confidences to 0–100 (two decimals), keeps the highest
 * confidence of each name and sorts by confidence, then by name for a stable order.
 */
export function normaliseLabels(labels: Iterable<Label>): Label[] {
  const best = new Map<string, number>();
  for (const label of labels) {
    const name = label.name.trim().toLowerCase();
    if (!name || name.length > MAX_NAME_LENGTH) continue;
    const confidence = Math.round(Math.min(100, Math.max(0, label.confidence)) * 100) / 100;
    best.set(name, Math.max(best.get(name) ?? 0, confidence));
  }
  return [...best]
    .map(([name, confidence]) => ({ name, confidence }))
    .sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name))
    .slice(0, MAX_LABELS);
}
