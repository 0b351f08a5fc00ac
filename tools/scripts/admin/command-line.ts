import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The command line's options, strictly: an unknown option or a stray argument is a usage error. */
export function parseCommandLine<O extends Options>(args: string[], options: O) {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new UsageError(
      'a password is never taken on the command line: set GALLERY_PASSWORD (or ADMIN_PASSWORD)',
    );
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
