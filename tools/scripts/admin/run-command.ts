import { ApiClientError } from '@gallery/api-client';
import { CommandError, EXIT, messageOf, UsageError } from './errors';

/**
 * Runs a command's main function and sets the exit code: its own, 1 for a CommandError or a
 * request the API refused, 2 for a usage error. Anything else is a fault and shows whole.
 */
export function runCommand(name: string, main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof UsageError) {
        console.error(`${name}: ${error.message}\nTry --help.`);
        process.exitCode = EXIT.usage;
      } else if (error instanceof CommandError) {
        console.error(`${name}: ${error.message}`);
        process.exitCode = EXIT.failed;
      } else if (error instanceof ApiClientError) {
        console.error(`${name}: the API refused: ${error.message} (HTTP ${error.status})`);
        process.exitCode = EXIT.failed;
      } else {
        console.error(`${name}: ${messageOf(error)}`);
        console.error(error);
        process.exitCode = EXIT.failed;
      }
    },
  );
}
