import { z } from 'zod';
import { UsageError } from './errors';

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const environment = z.object({
  GALLERY_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  GALLERY_PASSWORD: optionalText,
  ADMIN_PASSWORD: optionalText,
});

/** What the commands take from the environment; a password is never taken from the command line. */
export interface CommandEnv {
  url?: string;
  password?: string;
}

export function loadCommandEnv(env: NodeJS.ProcessEnv = process.env): CommandEnv {
  const result = environment.safeParse(env);
  if (!result.success) {
    throw new UsageError(`invalid environment:\n${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  const { GALLERY_URL, GALLERY_PASSWORD, ADMIN_PASSWORD } = result.data;
  return { url: GALLERY_URL, password: GALLERY_PASSWORD ?? ADMIN_PASSWORD };
}
