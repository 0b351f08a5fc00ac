import { execFile, execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { promisify } from 'node:util';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import S3rver from 's3rver';
import sharp from 'sharp';
import { verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { anImageUploaded, anSqsEvent, anSqsRecord } from '@gallery/messaging/testing';
import {
  createS3Client,
  createS3ObjectStore,
  originalKey,
  thumbnailKey,
  thumbnailPrefix,
  type ObjectStore,
} from '@gallery/storage';
import { workspace } from './workspace-copy';

// The zips as `nx package` built them (tools:e2e depends on it), run outside the workspace as
// Lambda runs them: S3 is s3rver on loopback, the API a loopback listener.

const WORKERS = ['thumbnail-worker', 'tags-worker'] as const;
type Worker = (typeof WORKERS)[number];

const BUCKET = 'gallery';
const CALLBACK_SECRET = 'zip-test-callback-secret';
const zipOf = (worker: Worker) => path.join(workspace, 'dist/lambda', `${worker}.zip`);
const temporaryDirs: string[] = [];

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
}

/** Every `node_modules` in `dir`'s ancestors: a package must not find anything there. */
function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let parent = path.dirname(dir); ; parent = path.dirname(parent)) {
    if (existsSync(path.join(parent, 'node_modules'))) found.push(parent);
    if (parent === path.dirname(parent)) return found;
  }
}

/** The zip unpacked into a fresh directory, as Lambda does into /var/task. */
function unpack(worker: Worker): string {
  const dir = temporaryDir(`gallery-${worker}-task-`);
  execFileSync('unzip', ['-q', zipOf(worker), '-d', dir]);
  return dir;
}

const zipEntries = (worker: Worker) =>
  execFileSync('unzip', ['-Z1', zipOf(worker)], { encoding: 'utf8' })
    .trim()
    .split('\n');

// Loads index.js as Lambda's Node runtime does, and calls `handler` with the event once.
const INVOKE = `
const { writeFileSync } = require('node:fs');
const { handler } = require(require('node:path').resolve('index.js'));
handler(JSON.parse(process.argv[1])).then(
  (response) => writeFileSync(process.argv[2], JSON.stringify(response)),
  (error) => { console.error(error); process.exitCode = 1; },
);`;

/**
 * Invokes the unpacked function in a process of its own, its environment only what the test
 * gives (no NODE_PATH, no AWS profile), and returns the handler's response.
 */
async function invoke(
  taskDir: string,
  event: SQSEvent,
  env: Record<string, string>,
): Promise<SQSBatchResponse> {
  const responseFile = path.join(temporaryDir('gallery-response-'), 'response.json');
  await promisify(execFile)(process.execPath, ['-e', INVOKE, JSON.stringify(event), responseFile], {
    cwd: taskDir,
    env: { PATH: process.env.PATH ?? '', HOME: taskDir, ...env },
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`the handler failed:\n${error.stdout}\n${error.stderr}`, { cause: error });
  });
  return JSON.parse(readFileSync(responseFile, 'utf8'));
}

async function aPhoto(): Promise<Buffer> {
  return sharp({
    create: {
      width: 2000,
      height: 1500,
      channels: 3,
      background: 'black',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .jpeg()
    .toBuffer();
}

/** An uploaded original in the bucket, and the record that announces it. */
async function anUploadedPhoto(store: ObjectStore) {
  const imageId = randomUUID();
  const photo = await aPhoto();
  await store.put(originalKey(imageId), photo, { contentType: 'image/jpeg' });
  const event = anImageUploaded({ imageId, bucket: BUCKET, size: photo.length });
  return { imageId, record: anSqsRecord(JSON.stringify(event)) };
}

async function listKeys(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const key of store.list(prefix)) keys.push(key);
  return keys.sort();
}

async function signatureCheck(api: FakeApi, url: string) {
  const request = api.received.find((received) => received.url === url);
  if (!request) return 'no callback';
  return verifySignature([CALLBACK_SECRET], request.headers, request.body);
}

/**
 * A loopback listener standing in for Rekognition's JSON API: it labels the images named in
 * `labels` and answers 500 for any other, as Rekognition's own failures do.
 */
async function startFakeRekognition(labels: Map<string, unknown[]>) {
  const requests: { target: string | undefined; key: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const key: string = JSON.parse(body).Image?.S3Object?.Name ?? '';
      requests.push({ target: req.headers['x-amz-target'] as string | undefined, key });
      const found = labels.get(key);
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      res.statusCode = found ? 200 : 500;
      res.end(
        JSON.stringify(
          found
            ? { Labels: found, LabelModelVersion: '3.0' }
            : { __type: 'InternalServerError', message: 'the fake fails this image' },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the Lambda zips', () => {
  let s3: S3rver;
  let s3Endpoint: string;
  let store: ObjectStore;
  let client: ReturnType<typeof createS3Client>;
  let api: FakeApi;

  beforeAll(async () => {
    s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: temporaryDir('gallery-s3rver-'),
      configureBuckets: [{ name: BUCKET }],
    });
    const { port } = await s3.run();
    s3Endpoint = `http://127.0.0.1:${port}`;
    client = createS3Client({
      endpoint: s3Endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    store = createS3ObjectStore({ client, bucket: BUCKET });
    api = await startFakeApi();
  });

  afterAll(async () => {
    client?.destroy();
    await api?.close();
    await s3?.close();
  });

  /** What the function's configuration holds in Lambda, its endpoints on loopback. */
  const lambdaEnv = () => ({
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    S3_BUCKET: BUCKET,
    S3_ENDPOINT: s3Endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    // No record of these tests fails for good, so nothing is sent there.
    DLQ_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/unused-dlq',
    CALLBACK_SECRET,
    API_URL: api.baseUrl,
    LOG_LEVEL: 'warn',
  });

  it.each(WORKERS)(
    '%s: holds index.js, its source map and sharp for linux-x64, nothing of the offline labeler',
    (worker) => {
      const entries = zipEntries(worker);

      expect(entries).toEqual(expect.arrayContaining(['index.js', 'index.js.map']));
      expect(entries).toContain('node_modules/sharp/package.json');
      expect(
        entries.some((entry) => /^node_modules\/@img\/sharp-linux-x64\/.*\.node$/.test(entry)),
      ).toBe(true);
      expect(
        entries.filter((entry) => /@vladmandic|@tensorflow|centernet|\.bin$/i.test(entry)),
      ).toEqual([]);
    },
  );

  it.each(WORKERS)('%s: is listed in the manifest under a key named after its hash', (worker) => {
    const sha256 = createHash('sha256')
      .update(readFileSync(zipOf(worker)))
      .digest('hex');

    const manifest = JSON.parse(
      readFileSync(path.join(workspace, 'dist/lambda/manifest.json'), 'utf8'),
    );

    expect(manifest.functions[worker]).toEqual({
      name: worker,
      zip: `dist/lambda/${worker}.zip`,
      sha256,
      size: readFileSync(zipOf(worker)).length,
      s3Key: `lambda/${worker}/${sha256}.zip`,
    });
  });

  it('thumbnail-worker: writes both WebP thumbnails to S3 and reports them in a signed callback', async () => {
    // prepare
    const taskDir = unpack('thumbnail-worker');
    const { imageId, record } = await anUploadedPhoto(store);

    // act
    const response = await invoke(taskDir, anSqsEvent(record), lambdaEnv());

    // assess
    expect(nodeModulesAbove(taskDir)).toEqual([]);
    expect(response).toEqual({ batchItemFailures: [] });
    const keys = [thumbnailKey(imageId, 256, 'webp'), thumbnailKey(imageId, 1280, 'webp')];
    expect(await listKeys(store, thumbnailPrefix(imageId))).toEqual(keys.sort());
    for (const key of keys) {
      const { body, contentType } = await store.get(key);
      expect(contentType).toBe('image/webp');
      expect((await sharp(await buffer(body)).metadata()).format).toBe('webp');
    }
    expect(api.thumbnailsFor(imageId)).toEqual([
      expect.objectContaining({
        status: 'done',
        width: 2000,
        height: 1500,
        thumbnails: expect.arrayContaining(keys.map((key) => expect.objectContaining({ key }))),
      }),
    ]);
    expect(await signatureCheck(api, `/internal/images/${imageId}/thumbnails`)).toEqual({
      ok: true,
    });
  });

  it('tags-worker: labels with Rekognition, and reports a record whose Rekognition call fails as a batch item failure', async () => {
    // prepare
    const taskDir = unpack('tags-worker');
    const labelled = await anUploadedPhoto(store);
    const failing = await anUploadedPhoto(store);
    const rekognition = await startFakeRekognition(
      new Map([
        [
          originalKey(labelled.imageId),
          [{ Name: 'Cat', Confidence: 97.5, Parents: [{ Name: 'Animal' }] }],
        ],
      ]),
    );

    try {
      // act
      const response = await invoke(taskDir, anSqsEvent(labelled.record, failing.record), {
        ...lambdaEnv(),
        REKOGNITION_ENDPOINT: rekognition.endpoint,
      });

      // assess
      expect(nodeModulesAbove(taskDir)).toEqual([]);
      expect(response).toEqual({
        batchItemFailures: [{ itemIdentifier: failing.record.messageId }],
      });
      expect(api.tagsFor(labelled.imageId)).toEqual([
        expect.objectContaining({
          status: 'done',
          labeler: 'rekognition',
          tags: [
            { name: 'animal', confidence: 97.5 },
            { name: 'cat', confidence: 97.5 },
          ],
        }),
      ]);
      expect(await signatureCheck(api, `/internal/images/${labelled.imageId}/tags`)).toEqual({
        ok: true,
      });
      expect(api.tagsFor(failing.imageId)).toEqual([]);
      expect(rekognition.requests).toContainEqual({
        target: 'RekognitionService.DetectLabels',
        key: originalKey(failing.imageId),
      });
    } finally {
      await rekognition.close();
    }
  });
});

describe('packaging a bundle', () => {
  const script = path.join(workspace, 'tools/package/package-lambda.cjs');

  /** A bundle as `nx build` leaves it, its source map listing `modules`. */
  function aBundle(modules: string[]): string {
    const dir = temporaryDir('gallery-bundle-');
    writeFileSync(path.join(dir, 'index.js'), 'exports.handler = async () => ({});\n');
    writeFileSync(path.join(dir, 'index.js.map'), JSON.stringify({ version: 3, sources: modules }));
    return dir;
  }

  function packageBundle(bundleDir: string, outDir: string, env: NodeJS.ProcessEnv = {}) {
    mkdirSync(outDir, { recursive: true });
    return promisify(execFile)(
      process.execPath,
      [
        script,
        '--project=some-worker',
        '--project-root=apps/some-worker',
        `--bundle-dir=${bundleDir}`,
        `--out-dir=${outDir}`,
      ],
      { env: { ...process.env, ...env } },
    );
  }

  it('makes the same zip, byte for byte, from the same bundle at another time and place', async () => {
    // prepare
    const bundle = aBundle(['../../apps/some-worker/src/lambda.ts']);
    const [first, second] = [temporaryDir('gallery-out-'), temporaryDir('gallery-out-')];
    await packageBundle(bundle, first, { TZ: 'UTC' });
    utimesSync(path.join(bundle, 'index.js'), new Date('2030-06-01'), new Date('2030-06-01'));

    // act
    await packageBundle(bundle, second, { TZ: 'Pacific/Kiritimati' });

    // assess
    const zip = (dir: string) => readFileSync(path.join(dir, 'some-worker.zip'));
    expect(zip(first).length).toBeGreaterThan(0);
    expect(zip(first).equals(zip(second))).toBe(true);
  });

  it('refuses, naming it, a bundle that took in the offline labeler', async () => {
    // prepare
    const bundle = aBundle([
      '../../apps/some-worker/src/lambda.ts',
      '../../node_modules/@vladmandic/human/dist/human.node-wasm.js',
    ]);
    const out = temporaryDir('gallery-out-');

    // act
    const outcome = await packageBundle(bundle, out).catch((error: { stderr: string }) => error);

    // assess
    expect(outcome).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('@vladmandic/human/dist/human.node-wasm.js'),
    });
    expect(existsSync(path.join(out, 'some-worker.zip'))).toBe(false);
  });
});
