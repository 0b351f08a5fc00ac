import { execFile, execFileSync, spawnSync } from 'node:child_process';
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
import { parse as parseYaml } from 'yaml';
import { verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { anImageUploaded, anSqsEvent, anSqsRecord } from '@gallery/messaging/testing';
import { CATALOG } from '@gallery/processors';
import {
  createS3Client,
  createS3ObjectStore,
  originalKey,
  thumbnailKey,
  thumbnailPrefix,
  type ObjectStore,
} from '@gallery/storage';
import { workspace } from './workspace-copy';

// The zips as `nx package` and `nx run tools:sharp-layer` built them (tools:e2e depends on
// both), run outside the workspace as Lambda runs them: the sharp layer unzipped into a
// directory standing for /opt, each worker's zip into one standing for /var/task, and NODE_PATH
// exactly as the nodejs24.x runtime sets it (tools/package/lambda-runtime.cjs); S3 is s3rver on
// loopback, the API a loopback listener.

/** The workers whose handlers run here. */
type Worker = 'thumbnail-worker' | 'tags-worker';
/** Every worker of the catalog: each is packaged. */
const ALL_WORKERS = CATALOG.map((entry) => entry.project);

interface LambdaRuntime {
  opt: string;
  unpack(zip: string, name: string): string;
  env(task: string): { NODE_PATH: string };
  remove(): void;
}
const { lambdaRuntime } = require('../../package/lambda-runtime.cjs') as {
  lambdaRuntime: (options: { layers: string[]; prefix: string }) => LambdaRuntime;
};
const { packageSharpLayer } = require('../../package/package-layer.cjs') as {
  packageSharpLayer: (options: {
    outDir: string;
    install: (dir: string, version: string) => void;
  }) => unknown;
};

const BUCKET = 'gallery';
const CALLBACK_SECRET = 'zip-test-callback-secret';
const zipOf = (worker: string) => path.join(workspace, 'dist/lambda', `${worker}.zip`);
const LAYER_ZIP = path.join(workspace, 'dist/lambda/layers/sharp.zip');
const SHARP_VERSION: string = JSON.parse(readFileSync(path.join(workspace, 'package.json'), 'utf8'))
  .dependencies.sharp;
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

const zipEntries = (zip: string) =>
  execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');

/** The manifest `nx run tools:lambda-manifest` assembled. */
const readManifest = () =>
  JSON.parse(readFileSync(path.join(workspace, 'dist/lambda/manifest.json'), 'utf8'));

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

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
 * gives (the NODE_PATH of the runtime among it, no AWS profile), and returns the handler's
 * response.
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
  let lambda: LambdaRuntime;
  let s3: S3rver;
  let s3Endpoint: string;
  let store: ObjectStore;
  let client: ReturnType<typeof createS3Client>;
  let api: FakeApi;

  beforeAll(async () => {
    lambda = lambdaRuntime({ layers: [LAYER_ZIP], prefix: 'gallery-lambda-zips-' });
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
    lambda?.remove();
  });

  /** The worker's zip unpacked as Lambda does into /var/task, beside the layer as /opt. */
  const unpack = (worker: Worker) => lambda.unpack(zipOf(worker), worker);

  /**
   * What the function's configuration holds in Lambda, its endpoints on loopback, and the
   * runtime's NODE_PATH for it.
   */
  const lambdaEnv = (taskDir: string) => ({
    ...lambda.env(taskDir),
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

  it.each(ALL_WORKERS)('%s: holds its bundle alone, index.js and its source map', (worker) => {
    const entries = zipEntries(zipOf(worker));

    expect(entries.sort()).toEqual(['index.js', 'index.js.map']);
  });

  it('the sharp layer: holds the pinned sharp and its linux-x64 binaries where Lambda looks, nothing of the offline labeler', () => {
    const entries = zipEntries(LAYER_ZIP);
    const { version } = JSON.parse(
      execFileSync('unzip', ['-p', LAYER_ZIP, 'nodejs/node_modules/sharp/package.json'], {
        encoding: 'utf8',
      }),
    );

    expect(entries.filter((entry) => !entry.startsWith('nodejs/node_modules/'))).toEqual([]);
    expect(version).toBe(SHARP_VERSION);
    expect(
      entries.some((entry) =>
        /^nodejs\/node_modules\/@img\/sharp-linux-x64\/.*\.node$/.test(entry),
      ),
    ).toBe(true);
    expect(
      entries.some((entry) =>
        entry.startsWith('nodejs/node_modules/@img/sharp-libvips-linux-x64/'),
      ),
    ).toBe(true);
    expect(
      entries.filter((entry) => /@vladmandic|@tensorflow|centernet|\.bin$/i.test(entry)),
    ).toEqual([]);
  });

  it('the sharp layer: is listed in the manifest under a key naming sharp’s version and its hash, which the template accepts', () => {
    const sha256 = sha256Of(LAYER_ZIP);
    const template = parseYaml(
      readFileSync(path.join(workspace, 'apps/infra/template.yaml'), 'utf8'),
      { logLevel: 'silent' },
    );

    const layer = readManifest().layers.sharp;

    expect(layer).toEqual({
      name: 'sharp',
      version: SHARP_VERSION,
      zip: 'dist/lambda/layers/sharp.zip',
      sha256,
      size: readFileSync(LAYER_ZIP).length,
      s3Key: `lambda/layers/sharp/${SHARP_VERSION}/${sha256}.zip`,
    });
    expect(layer.s3Key).toMatch(new RegExp(template.Parameters.SharpLayerCodeKey.AllowedPattern));
  });

  it.each(ALL_WORKERS)(
    '%s: is listed in the manifest under a key named after its hash',
    (worker) => {
      const sha256 = sha256Of(zipOf(worker));

      const manifest = readManifest();

      expect(manifest.functions[worker]).toEqual({
        name: worker,
        zip: `dist/lambda/${worker}.zip`,
        sha256,
        size: readFileSync(zipOf(worker)).length,
        s3Key: `lambda/${worker}/${sha256}.zip`,
      });
    },
  );

  it('thumbnail-worker: finds sharp in the layer as /opt on the runtime’s NODE_PATH, and nowhere without it', () => {
    // prepare
    const taskDir = unpack('thumbnail-worker');
    const resolveSharp = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['-e', "process.stdout.write(require.resolve('sharp'))"], {
        cwd: taskDir,
        env: { PATH: process.env.PATH ?? '', HOME: taskDir, ...env },
        encoding: 'utf8',
      });

    // act
    const withLayer = resolveSharp(lambda.env(taskDir));
    const withoutLayer = resolveSharp({});

    // assess
    expect(withLayer.status).toBe(0);
    expect(withLayer.stdout.startsWith(path.join(lambda.opt, 'nodejs/node_modules/sharp/'))).toBe(
      true,
    );
    expect(withoutLayer.status).toBe(1);
    expect(withoutLayer.stderr).toContain("Cannot find module 'sharp'");
  });

  it('thumbnail-worker: writes both WebP thumbnails to S3 and reports them in a signed callback', async () => {
    // prepare
    const taskDir = unpack('thumbnail-worker');
    const { imageId, record } = await anUploadedPhoto(store);

    // act
    const response = await invoke(taskDir, anSqsEvent(record), lambdaEnv(taskDir));

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
        ...lambdaEnv(taskDir),
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
  function aBundle(modules: string[], code = 'exports.handler = async () => ({});\n'): string {
    const dir = temporaryDir('gallery-bundle-');
    writeFileSync(path.join(dir, 'index.js'), code);
    writeFileSync(path.join(dir, 'index.js.map'), JSON.stringify({ version: 3, sources: modules }));
    return dir;
  }

  /** A bundle that loads sharp at run time, as esbuild leaves an external. */
  const aSharpBundle = () =>
    aBundle(
      ['../../apps/some-worker/src/lambda.ts'],
      'const sharp = require("sharp");\nexports.handler = async () => ({ sharp: typeof sharp });\n',
    );

  /** A project the catalog does not list: `--sharp=false` says it gets no sharp layer. */
  const SOME_WORKER = ['--project=some-worker', '--project-root=apps/some-worker', '--sharp=false'];
  const aCatalogWorker = (worker: string) => [
    `--project=${worker}`,
    `--project-root=apps/${worker}`,
  ];

  function packageBundle(
    bundleDir: string,
    outDir: string,
    { env = {}, project = SOME_WORKER }: { env?: NodeJS.ProcessEnv; project?: string[] } = {},
  ) {
    mkdirSync(outDir, { recursive: true });
    return promisify(execFile)(
      process.execPath,
      [script, ...project, `--bundle-dir=${bundleDir}`, `--out-dir=${outDir}`],
      { env: { ...process.env, ...env } },
    );
  }

  it('makes the same zip, byte for byte, from the same bundle at another time and place', async () => {
    // prepare
    const bundle = aBundle(['../../apps/some-worker/src/lambda.ts']);
    const [first, second] = [temporaryDir('gallery-out-'), temporaryDir('gallery-out-')];
    await packageBundle(bundle, first, { env: { TZ: 'UTC' } });
    utimesSync(path.join(bundle, 'index.js'), new Date('2030-06-01'), new Date('2030-06-01'));

    // act
    await packageBundle(bundle, second, { env: { TZ: 'Pacific/Kiritimati' } });

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

  it('zips the bundle alone, sharp left to the layer, for a worker whose catalog entry says sharp: true', async () => {
    // prepare
    const bundle = aSharpBundle();
    const out = temporaryDir('gallery-out-');

    // act
    const { stdout } = await packageBundle(bundle, out, {
      project: aCatalogWorker('thumbnail-worker'),
    });

    // assess
    expect(zipEntries(path.join(out, 'thumbnail-worker.zip')).sort()).toEqual([
      'index.js',
      'index.js.map',
    ]);
    expect(stdout).toContain('sharp from the sharp layer');
  });

  it('refuses a bundle that requires sharp for a worker whose catalog entry says sharp: false', async () => {
    // prepare
    const bundle = aSharpBundle();
    const out = temporaryDir('gallery-out-');

    // act
    const outcome = await packageBundle(bundle, out, {
      project: aCatalogWorker('metadata-worker'),
    }).catch((error: { code: number; stderr: string }) => error);

    // assess
    expect(outcome).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        "package-lambda: metadata-worker's bundle requires sharp, but its catalog entry " +
          '(libs/processors/src/catalog.ts) says sharp: false: its function would get no sharp ' +
          'layer and fail at require("sharp") in Lambda.',
      ),
    });
    expect(existsSync(path.join(out, 'metadata-worker.zip'))).toBe(false);
  });

  it('refuses a project the catalog does not list unless told whether it gets the sharp layer', async () => {
    // prepare
    const bundle = aBundle(['../../apps/some-worker/src/lambda.ts']);

    // act
    const outcome = await packageBundle(bundle, temporaryDir('gallery-out-'), {
      project: aCatalogWorker('some-worker'),
    }).catch((error: { code: number; stderr: string }) => error);

    // assess
    expect(outcome).toMatchObject({
      code: 1,
      stderr:
        'package-lambda: some-worker is not a worker of the catalog (libs/processors/src/catalog.ts): ' +
        'pass --sharp=true or --sharp=false\n',
    });
  });
});

describe('packaging the sharp layer', () => {
  const script = path.join(workspace, 'tools/package/package-layer.cjs');

  it('makes the same layer, byte for byte, at another time and place', async () => {
    // prepare
    const [first, second] = [temporaryDir('gallery-layer-'), temporaryDir('gallery-layer-')];
    const packageLayer = (outDir: string, TZ: string) =>
      promisify(execFile)(process.execPath, [script, `--out-dir=${outDir}`], {
        env: { ...process.env, TZ },
      });
    await packageLayer(first, 'UTC');

    // act
    await packageLayer(second, 'Pacific/Kiritimati');

    // assess
    const zip = (dir: string) => readFileSync(path.join(dir, 'layers/sharp.zip'));
    expect(zip(first).length).toBeGreaterThan(0);
    expect(zip(first).equals(zip(second))).toBe(true);
  });

  it('refuses, naming them, the offline labeler or a model file in the layer', () => {
    // prepare: an install that brings more than sharp
    const out = temporaryDir('gallery-layer-');
    const install = (dir: string) => {
      for (const file of [
        'node_modules/sharp/package.json',
        'node_modules/@tensorflow/tfjs-core/package.json',
        'node_modules/models/centernet.bin',
      ]) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), '{}');
      }
    };

    // act
    const act = () => packageSharpLayer({ outDir: out, install });

    // assess
    expect(act).toThrow(/the sharp layer would contain what must never ship/);
    expect(act).toThrow('nodejs/node_modules/@tensorflow/tfjs-core/package.json');
    expect(act).toThrow('nodejs/node_modules/models/centernet.bin: a model weights file (.bin)');
    expect(existsSync(path.join(out, 'layers/sharp.zip'))).toBe(false);
  });
});
