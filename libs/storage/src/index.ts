export type { ByteRange, ObjectHead, ObjectInfo, ObjectStore, StoredObject } from './object-store';
export { imageIdOfKey, originalKey, thumbnailKey, thumbnailPrefix } from './keys';
export { InvalidKeyError, InvalidRangeError, ObjectNotFoundError, StorageError } from './errors';
export { createFsObjectStore } from './fs-object-store';
export type { FsObjectStoreOptions } from './fs-object-store';
export { createS3ObjectStore } from './s3-object-store';
export type { S3ObjectStore, S3ObjectStoreOptions } from './s3-object-store';
export { createS3Client } from './s3-client';
export type { S3ClientOptions } from './s3-client';
