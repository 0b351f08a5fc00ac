import { z } from 'zod';
import type { CommandEnv } from './config';
import { UsageError } from './errors';

export const DEFAULT_URL = 'http://127.0.0.1:3000';
export const DEFAULT_USER = 'admin';

/** The options every command shares, for `parseArgs`. */
export const CONNECTION_OPTIONS = {
  url: { type: 'string' },
  user: { type: 'string', default: DEFAULT_USER },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const CONNECTION_HELP = `Connection:
  --url <url>     the API (default: GALLERY_URL, else ${DEFAULT_URL})
  --user <name>   the user to log in as (default: ${DEFAULT_USER})
  -h, --help      this help

The password is read from GALLERY_PASSWORD, else ADMIN_PASSWORD, and never from the command
line, where other users of the machine could read it.`;

export interface Connection {
  url: string;
  user: string;
  password: string;
}

const httpUrl = z.url({ protocol: /^https?$/ });

/** Where and as whom to log in: the command line first, then the environment. */
export function connectionFrom(
  values: { url?: string; user?: string },
  env: CommandEnv,
): Connection {
  const url = values.url ?? env.url ?? DEFAULT_URL;
  if (!httpUrl.safeParse(url).success) throw new UsageError(`--url ${url} is not an http(s) URL`);
  if (!env.password) {
    throw new UsageError(
      'set GALLERY_PASSWORD (or ADMIN_PASSWORD) to the password; it is never taken on the command line',
    );
  }
  return {
    url: url.replace(/\/+$/, ''),
    user: values.user || DEFAULT_USER,
    password: env.password,
  };
}
