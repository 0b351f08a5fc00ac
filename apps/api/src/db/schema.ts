import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { ProcessingStatus, Role } from '@gallery/message-schema';

/** PostgreSQL returns `bigint` as a string: it may not fit in a number. */
type Int8 = ColumnType<string, number | string, number | string>;
type CreatedAt = ColumnType<Date, Date | undefined, never>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  password_hash: string;
  role: ColumnType<Role, Role | undefined, Role>;
  /** Set while the user may not sign in. */
  disabled_at: ColumnType<Date | null, never, Date | null>;
  created_at: CreatedAt;
}

export interface SessionsTable {
  /** SHA-256 of the token, hex: the token itself is never stored. */
  token_hash: string;
  user_id: string;
  /** Names the session to its user (who may end it) without its token. */
  id: ColumnType<string, never, never>;
  /** The browser's User-Agent when it signed in. */
  user_agent: string | null;
  last_seen_at: ColumnType<Date, never, Date>;
  created_at: CreatedAt;
  expires_at: Date;
}

/** A link that lets someone join with their own name and password, once, until it expires. */
export interface InvitationsTable {
  /** SHA-256 of the token, hex. */
  token_hash: string;
  /** Names it to administrators (to list and revoke it) without its token. */
  id: ColumnType<string, never, never>;
  role: Role;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Date;
  used_by: string | null;
  used_at: Date | null;
}

export interface AlbumsTable {
  id: Generated<string>;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  owner_id: string;
  /** Chosen by its owner; null: the album's first image. */
  cover_image_id: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface AlbumImagesTable {
  album_id: string;
  image_id: string;
  added_at: ColumnType<Date, Date | undefined, never>;
}

export interface ImagesTable {
  id: string;
  name: string;
  content_type: string;
  size: Int8;
  width: number | null;
  height: number | null;
  placeholder: string | null;
  /** Who added it; null only for an image older than people. */
  owner_id: string | null;
  created_at: CreatedAt;
  /** The image's words for search, kept by triggers. */
  search: ColumnType<string, never, never>;
}

export interface ImageTagsTable {
  image_id: string;
  name: string;
  confidence: number | null;
  /** `manual`, or the labeler that found it (e.g. `rekognition`). */
  source: string;
  /** The image's `created_at`, copied by a trigger: the tag filter's keyset. */
  image_created_at: ColumnType<Date, never, never>;
}

export interface ThumbnailsTable {
  image_id: string;
  width: number;
  height: number;
  format: string;
  key: string;
  size: Int8;
}

/** A processor's report on an image; no row while it is pending. */
export interface ProcessingTable {
  image_id: string;
  /** A name from the processor catalog. */
  processor: string;
  status: Exclude<ProcessingStatus, 'pending'>;
  /** The reason of a failure. */
  error: string | null;
  /** What the processor reported when done, without the callback's envelope. */
  result: unknown;
  /** The event that produced it; null only for a row moved from a status column. */
  event_id: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface OutboxTable {
  id: ColumnType<string, never, never>;
  type: string;
  payload: unknown;
  created_at: CreatedAt;
  published_at: ColumnType<Date | null, never, Date | null>;
  attempts: ColumnType<number, never, number>;
  last_error: ColumnType<string | null, never, string | null>;
}

/** One change to an image, numbered gallery-wide in commit order. */
export interface ChangesTable {
  seq: Int8;
  /** The event's type, e.g. `image.updated`. */
  type: string;
  /** The event's data, as the event streams send it. */
  data: unknown;
  created_at: CreatedAt;
}

/** One row: the last number taken and the last one pruning removed. */
export interface FeedStateTable {
  id: ColumnType<boolean, never, never>;
  last_seq: Int8;
  pruned_through: Int8;
}

/** Login attempts per key (`ip:…`, `user:…`) in a window ending at `reset_at`. */
export interface LoginAttemptsTable {
  key: string;
  count: number;
  reset_at: Date;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  invitations: InvitationsTable;
  images: ImagesTable;
  image_tags: ImageTagsTable;
  thumbnails: ThumbnailsTable;
  processing: ProcessingTable;
  outbox: OutboxTable;
  changes: ChangesTable;
  feed_state: FeedStateTable;
  login_attempts: LoginAttemptsTable;
  albums: AlbumsTable;
  album_images: AlbumImagesTable;
}

export type ImageRow = Selectable<ImagesTable>;
export type NewImage = Insertable<ImagesTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type ProcessingRow = Selectable<ProcessingTable>;
