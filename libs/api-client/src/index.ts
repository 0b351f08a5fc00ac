export { ApiClientError } from './errors';
export { backoffDelay, DEFAULT_RETRY } from './retry';
export type { RetryPolicy } from './retry';
export {
  SIGNATURE_HEADERS,
  SIGNATURE_TOLERANCE_SECONDS,
  signRequest,
  verifySignature,
} from './signature';
export type { SignedHeaders, Verification } from './signature';
export { createCallbackClient } from './callback-client';
export type {
  CallbackClient,
  CallbackClientOptions,
  CallbackOutcome,
  ReportOf,
} from './callback-client';
export { createGalleryClient } from './gallery-client';
export type {
  AlbumPatch,
  GalleryClient,
  ImagePatch,
  Invitation,
  ListImagesQuery,
  PendingInvitation,
  Person,
  Role,
  SessionInfo,
  User,
} from './gallery-client';
