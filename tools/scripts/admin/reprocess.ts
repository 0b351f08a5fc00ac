// `npm run reprocess -- --missing|--all`: publishes `image.uploaded` again for images, through
// the API, so that the processors run on them once more.
import { ApiClientError, type GalleryClient } from '@gallery/api-client';
import type { ImageView } from '@gallery/message-schema';
import { forEachBounded } from './bounded';
import { parseCommandLine } from './command-line';
import { loadCommandEnv } from './config';
import { CONNECTION_HELP, CONNECTION_OPTIONS, connectionFrom } from './connection';
import { EXIT, messageOf, UsageError } from './errors';
import { plural } from './plural';
import { startProgress } from './progress';
import { runCommand } from './run-command';
import { logIn, logOut } from './session';

const HELP = `Usage: npm run reprocess -- (--missing | --all) [--dry-run] [options]

Publishes image.uploaded again for images, so that the thumbnail and tags workers run on them
once more. A failed processor goes back to pending; a done one stays done until it reports again.

  --missing           only images with a processor not done (pending or failed)
  --all               every image
  --dry-run           count the images that would be re-published, and send nothing
  --concurrency <n>   requests in flight at once (default 8)

${CONNECTION_HELP}

Exit codes: 0 all re-published, 1 a request or the login failed, 2 a usage error.`;

const OPTIONS = {
  ...CONNECTION_OPTIONS,
  missing: { type: 'boolean', default: false },
  all: { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  concurrency: { type: 'string', default: '8' },
} as const;

/** An image a processor has not finished with: still waiting, or failed. */
const isMissingWork = (image: ImageView): boolean =>
  Object.values(image.status).some((status) => status !== 'done');

const PAGE_SIZE = 100;

interface Failure {
  image: ImageView;
  message: string;
}

async function main(): Promise<number> {
  const values = parseCommandLine(process.argv.slice(2), OPTIONS);
  if (values.help) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (values.missing === values.all) throw new UsageError('give exactly one of --missing, --all');
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new UsageError('--concurrency must be a whole number from 1 to 64');
  }
  const connection = connectionFrom(values, loadCommandEnv());
  const selection = values.all ? 'all' : 'missing';

  const client = await logIn(connection);
  try {
    const { chosen, skipped } = await chooseImages(client, values.all ? () => true : isMissingWork);
    if (values['dry-run']) {
      console.log(
        `${plural(chosen.length, 'image')} to re-publish (--${selection}), ${skipped} skipped`,
      );
      return EXIT.ok;
    }
    console.log(
      `Re-publishing ${plural(chosen.length, 'image')} (--${selection}), ${concurrency} at a time`,
    );
    const { published, gone, failures } = await republish(client, chosen, concurrency);
    console.log(
      `${published} re-published, ${skipped + gone} skipped, ${plural(failures.length, 'error')}`,
    );
    for (const { image, message } of failures) {
      console.log(`  error ${image.id} (${JSON.stringify(image.name)}): ${message}`);
    }
    return failures.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    await logOut(client);
  }
}

/** Every image of the gallery, page by page, sorted into those to re-publish and the rest. */
async function chooseImages(client: GalleryClient, wanted: (image: ImageView) => boolean) {
  const chosen: ImageView[] = [];
  let skipped = 0;
  for await (const image of client.allImages({ limit: PAGE_SIZE })) {
    if (wanted(image)) chosen.push(image);
    else skipped += 1;
  }
  return { chosen, skipped };
}

async function republish(client: GalleryClient, images: ImageView[], concurrency: number) {
  let published = 0;
  // Deleted since the list was read: nothing left to process.
  let gone = 0;
  const failures: Failure[] = [];
  const progress = startProgress('reprocess', images.length);
  await forEachBounded(images, concurrency, async (image) => {
    try {
      await client.reprocessImage(image.id);
      published += 1;
    } catch (error) {
      if (error instanceof ApiClientError && error.status === 404) gone += 1;
      else failures.push({ image, message: messageOf(error) });
    }
    progress.advance(failures.length);
  });
  progress.stop();
  return { published, gone, failures };
}

runCommand('reprocess', main);
