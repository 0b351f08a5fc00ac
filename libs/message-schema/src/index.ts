export { InvalidMessageError, UnknownVersionError } from './errors';
export { IMAGE_UPLOADED, imageUploadedV1, SUPPORTED_VERSIONS } from './image-uploaded';
export type { ImageUploaded } from './image-uploaded';
export { decodeImageUploaded } from './decode-record';
export {
  PROCESSORS,
  thumbnailSchema,
  thumbnailsCallback,
  labelSchema,
  tagsCallback,
} from './callbacks';
export type { Processor, Thumbnail, ThumbnailsCallback, Label, TagsCallback } from './callbacks';
export { processingStatus, imageView, imagePage } from './image-view';
export { failureView, failureList, redriveResult } from './failure-view';
export type { FailureView } from './failure-view';
export type { ProcessingStatus, ImageView, ImagePage, GalleryEvent } from './image-view';
