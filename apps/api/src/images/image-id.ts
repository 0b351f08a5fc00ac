/** Image ids are lower-case UUIDs, as PostgreSQL prints them and as object keys require. */
const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const isImageId = (value: string): boolean => IMAGE_ID.test(value);
