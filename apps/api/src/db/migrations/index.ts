import type { Migration } from 'kysely';
import * as initialSchema from './0001-initial-schema';
import * as tagListIndex from './0002-tag-list-index';
import * as processingState from './0003-processing-state';
import * as changeFeed from './0004-change-feed';
import * as search from './0005-search';
import * as people from './0006-people';
import * as albums from './0007-albums';

/** Every migration by name, in order; names sort as they must run. */
export const migrations: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
  '0002-tag-list-index': tagListIndex,
  '0003-processing-state': processingState,
  '0004-change-feed': changeFeed,
  '0005-search': search,
  '0006-people': people,
  '0007-albums': albums,
};
