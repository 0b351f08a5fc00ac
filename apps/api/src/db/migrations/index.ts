import type { Migration } from 'kysely';
import * as initialSchema from './0001-initial-schema';

/** Every migration by name, in order; names sort as they must run. */
export const migrations: Record<string, Migration> = {
  '0001-initial-schema': initialSchema,
};
