import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  decodeImageUploaded,
  imageView,
  type ImageUploaded,
  type ImageView,
} from '@gallery/message-schema';
import { CATALOG, perProcessor } from '@gallery/processors';
import {
  ADMIN_PASSWORD,
  login,
  makeCorruptJpeg,
  makePng,
  startTestGallery,
  until,
  untilProcessed,
  upload,
} from './gallery';

const workspace = path.resolve(__dirname, '../../..');
/** Every processor's queue: the topic fans each event out to all of them. */
const QUEUES = CATALOG.map((entry) => entry.queue);
type QueueName = (typeof QUEUES)[number];
/** How the workers report an image sharp cannot decode. */
const DECODE_FAILURE = /could not be decoded/;

interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npm run <script> -- <args>` as an operator would, with the password in the environment. */
function runScript(
  script: 'reprocess' | 'redrive',
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: workspace,
      env: { ...process.env, ADMIN_PASSWORD: undefined, GALLERY_PASSWORD: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The operator commands against the real processes: API, workers, file queues, PGlite. */
describe('the operator commands', () => {
  let gallery: Awaited<ReturnType<typeof startTestGallery>>;
  let cookie: string;
  let corruptId: string;
  /** The corrupt image's status once processed: the thumbnail and tags failed on it. */
  let corruptStatus: ImageView['status'];
  /** The queues of the processors that failed the corrupt image: one dead letter each. */
  let failedQueues: QueueName[];
  let pngIds: string[];
  const operator = { GALLERY_PASSWORD: ADMIN_PASSWORD };

  const api = async (pathname: string) => {
    const response = await fetch(`${gallery.baseUrl}${pathname}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`${pathname}: ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  const getImage = async (id: string): Promise<ImageView> =>
    imageView.parse(await api(`/api/images/${id}`));
  const failures = async () =>
    ((await api('/api/admin/failures')) as { items: { queue: string; imageId: string }[] }).items;

  const settled = (id: string) => untilProcessed(getImage, id);

  /** The events waiting in a queue; with the workers stopped, nothing takes them. */
  const queued = (queue: QueueName): ImageUploaded[] => {
    const dir = path.join(gallery.dataDir, 'queues', queue, 'ready');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { body: string })
      .map(({ body }) => decodeImageUploaded(body));
  };

  /**
   * Waits until each of `queues` holds `count` more events than `before`, and returns the new
   * ones of every queue.
   */
  const arrivals = (
    before: Record<QueueName, ImageUploaded[]>,
    count: number,
    queues: readonly QueueName[] = QUEUES,
  ) =>
    until(async () => {
      const now = Object.fromEntries(QUEUES.map((queue) => [queue, queued(queue)]));
      if (queues.some((queue) => now[queue].length < before[queue].length + count)) return;
      return Object.fromEntries(
        QUEUES.map((queue) => [
          queue,
          now[queue].filter((event) => !before[queue].some((old) => old.eventId === event.eventId)),
        ]),
      ) as Record<QueueName, ImageUploaded[]>;
    }, `${count} new events in each queue`);

  const snapshot = () =>
    Object.fromEntries(QUEUES.map((queue) => [queue, queued(queue)])) as Record<
      QueueName,
      ImageUploaded[]
    >;

  beforeAll(async () => {
    // Each command logs in: more logins than the default limit allows one address.
    gallery = await startTestGallery({ LOGIN_RATE_LIMIT_PER_IP: '100' });
    cookie = await login(gallery.baseUrl);
    const pngs = await Promise.all(
      ['first', 'second'].map(async (name) =>
        upload(gallery.baseUrl, cookie, name, await makePng(320, 240), `${name}.png`),
      ),
    );
    pngIds = pngs.map(({ body }) => body.id);
    const corrupt = await upload(
      gallery.baseUrl,
      cookie,
      'corrupt',
      await makeCorruptJpeg(),
      'c.jpg',
    );
    expect(corrupt.status).toBe(201);
    corruptId = corrupt.body.id;

    const processed = await Promise.all([...pngIds, corruptId].map(settled));
    expect(processed.slice(0, 2).map((image) => image.status)).toEqual(
      pngIds.map(() => perProcessor(() => 'done')),
    );
    corruptStatus = processed[2].status;
    expect(corruptStatus).toMatchObject({ thumbnail: 'failed', tags: 'failed' });
    expect(processed[2].errors.thumbnail).toMatch(DECODE_FAILURE);
    expect(processed[2].errors.tags).toMatch(DECODE_FAILURE);
    failedQueues = CATALOG.filter((entry) => corruptStatus[entry.name] === 'failed').map(
      (entry) => entry.queue,
    );
    // A failed record is reported first, dead-lettered next.
    await until(
      async () => ((await failures()).length === failedQueues.length ? true : undefined),
      'the dead letters of the corrupt image',
    );
    // With the workers stopped, whatever is published stays in the queues to be counted.
    for (const { project } of CATALOG) await gallery.apps[project].stop();
  });

  afterAll(async () => {
    await gallery?.stop();
  });

  it("redrive --list shows the failed image's dead letters with their reasons, and moves none", async () => {
    // act
    const result = await runScript('redrive', ['--list', '--url', gallery.baseUrl], operator);

    // assess
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    for (const queue of failedQueues) {
      const line = lines.find((text) => text.startsWith(queue));
      expect(line).toContain(corruptId);
      expect(line).toMatch(DECODE_FAILURE);
    }
    expect(result.stdout).toContain(`${failedQueues.length} dead letters`);
    expect(result.stdout).not.toMatch(/Moved/);
    expect(await failures()).toHaveLength(failedQueues.length);
  });

  it('reprocess --missing re-publishes exactly the failed image, which goes back to pending', async () => {
    // prepare
    const before = snapshot();

    // act
    const result = await runScript('reprocess', ['--missing', '--url', gallery.baseUrl], operator);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^1 re-published, 2 skipped, 0 errors$/m);
    const arrived = await arrivals(before, 1);
    for (const queue of QUEUES) {
      expect(arrived[queue]).toEqual([
        expect.objectContaining({ imageId: corruptId, key: `originals/${corruptId}` }),
      ]);
    }
    // a failed processor back to pending, a finished one kept until it reports again
    const image = await getImage(corruptId);
    expect(image.status).toEqual(
      perProcessor((name) => (corruptStatus[name] === 'failed' ? 'pending' : corruptStatus[name])),
    );
    expect(image.errors).toEqual({});
  });

  it('reprocess --dry-run counts the images it would re-publish', async () => {
    // act
    const result = await runScript(
      'reprocess',
      ['--missing', '--dry-run', '--url', gallery.baseUrl],
      operator,
    );

    // assess: the corrupt image is pending now, so still missing its results
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe('1 image to re-publish (--missing), 2 skipped');
  });

  it('reprocess --all re-publishes every image', async () => {
    // prepare
    const before = snapshot();

    // act
    const result = await runScript('reprocess', ['--all', '--url', gallery.baseUrl], operator);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^3 re-published, 0 skipped, 0 errors$/m);
    const arrived = await arrivals(before, 3);
    for (const queue of QUEUES) {
      expect(arrived[queue].map((event) => event.imageId).sort()).toEqual(
        [...pngIds, corruptId].sort(),
      );
    }
    // Done stays done until the workers report again.
    expect((await getImage(pngIds[0])).status).toEqual(perProcessor(() => 'done'));
  });

  it('fails with exit code 1 and says why when the password is wrong', async () => {
    // act
    const result = await runScript('reprocess', ['--all', '--url', gallery.baseUrl], {
      GALLERY_PASSWORD: 'not the password',
    });

    // assess
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /login as admin failed: wrong user name or password \(HTTP 401\)/,
    );
    expect(result.stdout).not.toMatch(/re-published/);
  });

  it('redrive moves the dead letters back into their queues', async () => {
    // prepare
    const before = snapshot();

    // act
    const result = await runScript('redrive', ['--url', gallery.baseUrl], operator);

    // assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(corruptId);
    expect(result.stdout).toMatch(
      new RegExp(`^Moved ${failedQueues.length} dead letters back to their queues\\.$`, 'm'),
    );
    const arrived = await arrivals(before, 1, failedQueues);
    for (const queue of QUEUES) {
      expect(arrived[queue].map((event) => event.imageId)).toEqual(
        failedQueues.includes(queue) ? [corruptId] : [],
      );
    }
    expect(await failures()).toEqual([]);
  });

  it('has the workers fail the re-published image again, and the image shows it', async () => {
    // prepare
    // act
    for (const { project } of CATALOG) gallery.apps[project] = gallery.launch(project);

    // assess: the same statuses as the first time
    const image = await settled(corruptId);
    expect(image.status).toEqual(corruptStatus);
    // The reason is recorded again, though an equal one was recorded before the reprocess.
    expect(image.errors.thumbnail).toMatch(DECODE_FAILURE);
    expect(image.errors.tags).toMatch(DECODE_FAILURE);
  });
});
