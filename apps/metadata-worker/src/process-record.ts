import type { Worker } from '@gallery/worker-runtime';
import { readMetadataBytes } from './original-head';
import { readMetadata } from './read-metadata';

export interface MetadataWorkerOptions {
  /** False: GPS is left out before anything is reported, so it is never stored. */
  keepLocation: boolean;
}

/**
 * Reads an original's EXIF and XMP: camera, lens, date taken and its offset, exposure,
 * orientation, pixel size and, unless told not to, where it was taken. A file without
 * metadata is done with `{}`, not failed.
 */
export function metadataWorker({ keepLocation }: MetadataWorkerOptions): Worker<'metadata'> {
  return {
    async work({ event, store, logger }) {
      const read = await readMetadataBytes(store, event.key, event.contentType);
      if (!read) return null;
      const metadata = readMetadata(read.bytes, { keepLocation });
      logger.info(
        { bytesRead: read.bytes.length, whole: read.whole, fields: Object.keys(metadata).length },
        'metadata read',
      );
      return metadata;
    },
  };
}
