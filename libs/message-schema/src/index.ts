export { InvalidMessageError, UnknownVersionError } from './errors';
export { IMAGE_UPLOADED, imageUploadedV1, SUPPORTED_VERSIONS } from './image-uploaded';
export type { ImageUploaded } from './image-uploaded';
export { decodeImageUploaded } from './decode-record';
export { CALLBACKS, resultOf } from './callbacks';
export type { Callback, CallbackOf, TagsCallback, ThumbnailsCallback } from './callbacks';
export { JSON_STORED, processingStatus, imageView, imagePage, albumView } from './image-view';
export { failureView, failureList, redriveResult } from './failure-view';
export type { FailureView } from './failure-view';
export type {
  GalleryEvent,
  ImagePage,
  ImageView,
  AlbumView,
  JsonStored,
  ProcessingStatus,
} from './image-view';
export {
  ROLES,
  role,
  userView,
  personView,
  sessionView,
  invitationView,
  pendingInvitationView,
} from './people-views';
export type {
  Role,
  UserView,
  PersonView,
  SessionView,
  InvitationView,
  PendingInvitationView,
} from './people-views';
