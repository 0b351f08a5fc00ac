import { randomUUID } from 'node:crypto';
import type { TestDatabase } from './test-database';

/** An image row as an upload would leave it, created at the given time. */
export async function seedImage(
  database: TestDatabase,
  { createdAt = new Date(), name = 'seeded', tags = [] as string[] } = {},
): Promise<string> {
  const id = randomUUID();
  await database.db
    .insertInto('images')
    .values({
      id,
      name,
      content_type: 'image/jpeg',
      size: 1234,
      created_at: createdAt,
    })
    .execute();
  if (tags.length > 0) {
    await database.db
      .insertInto('image_tags')
      .values(tags.map((tag) => ({ image_id: id, name: tag, confidence: 90, source: 'labeler' })))
      .execute();
  }
  return id;
}
