import { imageView, type ImageView } from '@gallery/message-schema';
import { UploadError } from './errors';

/** Reads the API's answer to an upload: the image on 201, else an UploadError with its message. */
export function readUploadResponse(status: number, body: string): ImageView {
  let json: unknown = null;
  try {
    json = JSON.parse(body);
  } catch {
    // Not JSON (a proxy's error page, say): fall through to a message built from the status.
  }
  if (status === 201 || status === 200) {
    const image = imageView.safeParse(json);
    if (image.success) return image.data;
    throw new UploadError('The server answered with something that is not an image.', status, {
      cause: image.error,
    });
  }
  const message = (json as { message?: unknown } | null)?.message;
  throw new UploadError(
    typeof message === 'string' && message !== '' ? message : `Upload failed (${status}).`,
    status,
  );
}

export interface UploadRequest {
  name: string;
  file: File;
  url?: string;
  /** Bytes sent so far, of `total`. */
  onProgress?: (loaded: number, total: number) => void;
  createRequest?: () => XMLHttpRequest;
}

export interface Upload {
  done: Promise<ImageView>;
  abort(): void;
}

/**
 * Posts one image as multipart (`name` first, then `file`, the order the API reads them).
 * XMLHttpRequest rather than fetch: only it reports upload progress.
 */
export function uploadImage(request: UploadRequest): Upload {
  const xhr = (request.createRequest ?? (() => new XMLHttpRequest()))();
  const done = new Promise<ImageView>((resolve, reject) => {
    const form = new FormData();
    form.append('name', request.name);
    form.append('file', request.file, request.file.name);
    xhr.open('POST', request.url ?? '/api/images');
    xhr.responseType = 'text';
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) request.onProgress?.(event.loaded, event.total);
    });
    xhr.addEventListener('load', () => {
      try {
        resolve(readUploadResponse(xhr.status, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    });
    xhr.addEventListener('error', () =>
      reject(new UploadError('The upload did not reach the server.', undefined)),
    );
    xhr.addEventListener('abort', () => reject(new UploadError('Upload cancelled.', undefined)));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
