// `npm run redrive [-- --list]`: the dead letters of every queue, listed, then sent back to
// their queues for another try, through the API.
import type { FailureView } from '@gallery/message-schema';
import { parseCommandLine } from './command-line';
import { loadCommandEnv } from './config';
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionFrom } from './connection';
import { EXIT } from './errors';
import { plural } from './plural';
import { runCommand } from './run-command';
import { logIn, logOut } from './session';

const HELP = `Usage: npm run redrive [-- --list] [options]

Lists the dead letters of every queue (queue, image, reason, receive count), then moves them
back to their queues, where the workers take them again.

  --list          only list them

${CONNECTION_HELP}

Exit codes: 0 done, 1 a request or the login failed, 2 a usage error.`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  list: { type: 'boolean', default: false },
} as const;

/** One line per dead letter; the reason last, as it may be long. */
function failureTable(failures: readonly FailureView[]): string {
  const rows = [
    ['QUEUE', 'IMAGE', 'COUNT', 'DEAD-LETTERED AT', 'REASON'],
    ...failures.map((failure) => [
      failure.queue,
      // A message that is no readable event names no image.
      failure.imageId ?? '-',
      String(failure.receiveCount),
      failure.deadLetteredAt,
      // A decoder's reason may span lines: one row per dead letter all the same.
      failure.reason.replace(/\s*\n\s*/g, ' | '),
    ]),
  ];
  const widths = rows[0]
    .slice(0, -1)
    .map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column < widths.length ? cell.padEnd(widths[column]) : cell))
        .join('  '),
    )
    .join('\n');
}

async function main(): Promise<number> {
  const values = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  const connection = connectionFrom(values, loadCommandEnv());
  const client = await logIn(connection);
  try {
    const failures = await client.listFailures();
    if (failures.length === 0) {
      console.log('No dead letters.');
      return EXIT.ok;
    }
    console.log(failureTable(failures));
    console.log(plural(failures.length, 'dead letter'));
    if (values.list) return EXIT.ok;
    const moved = await client.redriveFailures();
    console.log(`Moved ${plural(moved, 'dead letter')} back to their queues.`);
    return EXIT.ok;
  } finally {
    await logOut(client);
  }
}

runCommand('redrive', main);
