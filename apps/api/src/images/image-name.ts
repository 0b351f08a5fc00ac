import { z } from 'zod';

export const MAX_NAME_LENGTH = 200;

/** A display name: trimmed, 1 to 200 characters, kept as plain text. */
export const imageName = z
  .string()
  .trim()
  .min(1, 'name must not be blank')
  .max(MAX_NAME_LENGTH, `name must be at most ${MAX_NAME_LENGTH} characters`);
