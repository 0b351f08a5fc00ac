import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  installFakeAws,
  printedCommands,
  readCalls,
  runDeploy,
  writeManifest,
  type PackagedFunction,
} from './deploy-run';
import { CATALOG, type ProcessorEntry } from '@gallery/processors';
import { layerIds, processorIds, SHARP_LAYER } from '@gallery/stack-template';
import { loadTemplate } from './template-edits';

const WORKERS = CATALOG.map((entry) => entry.project);
const SHARP = SHARP_LAYER;

describe('the deploy script', () => {
  let dir: string;
  let functions: PackagedFunction[];
  let manifest: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'gallery-deploy-'));
    functions = writeManifest(dir, WORKERS);
    manifest = path.join(dir, 'manifest.json');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const keyOf = (name: string) => functions.find((code) => code.name === name)?.s3Key ?? '';
  const zipOf = (name: string) => functions.find((code) => code.name === name)?.zipPath ?? '';
  const required = [
    '--artifact-bucket',
    'gallery-artifacts',
    '--api-url',
    'https://gallery.example.com',
  ];
  const deployCommand = (parameters: string[], region: string[] = []) => [
    'aws',
    'cloudformation',
    'deploy',
    '--template-file',
    'apps/infra/template.yaml',
    '--stack-name',
    'gallery-test',
    '--capabilities',
    'CAPABILITY_IAM',
    '--s3-bucket',
    'gallery-artifacts',
    '--s3-prefix',
    'cloudformation/gallery-test',
    '--no-fail-on-empty-changeset',
    '--parameter-overrides',
    ...parameters,
    ...region,
  ];
  const parametersWith = (overrides: Record<string, string> = {}) =>
    Object.entries({
      ArtifactBucket: 'gallery-artifacts',
      ApiUrl: 'https://gallery.example.com',
      LogLevel: 'info',
      AlarmEmail: '',
      [layerIds(SHARP).codeKey]: keyOf(SHARP),
      // Each processor's, in catalog order, as the template declares them.
      ...Object.fromEntries(
        (CATALOG as readonly ProcessorEntry[]).flatMap((entry) => [
          [processorIds(entry).codeKey, keyOf(entry.project)],
          [processorIds(entry).secretParameter, `/gallery/${entry.name}-callback-secret`],
          ...(entry.lambda.variables ?? []).map((variable) => [
            variable.parameter,
            variable.default,
          ]),
        ]),
      ),
      ...overrides,
    }).map(([name, value]) => `${name}=${value}`);

  it('prints, on a dry run, each upload and the stack deployment with every parameter', () => {
    // prepare
    const args = [
      '--dry-run',
      '--manifest',
      manifest,
      '--stack-name',
      'gallery-test',
      ...required,
      '--region',
      'eu-west-1',
      '--alarm-email',
      'ops@example.com',
      '--thumbnail-secret-parameter',
      '/prod/thumbnail-secret',
    ];

    // act
    const { status, stdout, stderr } = runDeploy(args);

    // assess
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const region = ['--region', 'eu-west-1'];
    const bucket = 'gallery-artifacts';
    expect(printedCommands(stdout)).toEqual([
      ...WORKERS.flatMap((worker) => [
        ['aws', 's3api', 'head-object', '--bucket', bucket, '--key', keyOf(worker), ...region],
        ['aws', 's3', 'cp', zipOf(worker), `s3://${bucket}/${keyOf(worker)}`, ...region],
      ]),
      ['aws', 's3api', 'head-object', '--bucket', bucket, '--key', keyOf(SHARP), ...region],
      ['aws', 's3', 'cp', zipOf(SHARP), `s3://${bucket}/${keyOf(SHARP)}`, ...region],
      deployCommand(
        parametersWith({
          AlarmEmail: 'ops@example.com',
          ThumbnailCallbackSecretParameter: '/prod/thumbnail-secret',
        }),
        region,
      ),
    ]);
  });

  it('passes a value for every parameter the template declares, and no other', () => {
    // prepare
    const declared = Object.keys(loadTemplate().Parameters ?? {});

    // act
    const { stdout } = runDeploy(['--dry-run', '--manifest', manifest, ...required]);

    // assess
    const deploy = printedCommands(stdout).at(-1) ?? [];
    const overrides = deploy.slice(deploy.indexOf('--parameter-overrides') + 1);
    expect(overrides.map((override) => override.split('=')[0])).toEqual(declared);
  });

  /** A real (not dry) deploy against a bucket that holds `existing` keys: its calls to aws. */
  function deployToBucketHolding(existing: string[]) {
    const { binDir, callsLog } = installFakeAws(dir);
    const { status, stderr } = runDeploy(
      ['--manifest', manifest, '--stack-name', 'gallery-test', ...required],
      {
        PATH: `${binDir}:${process.env['PATH']}`,
        FAKE_AWS_LOG: callsLog,
        FAKE_AWS_EXISTING: existing.join(','),
      },
    );
    return { status, stderr, calls: readCalls(callsLog) };
  }

  it('uploads only the zips the bucket lacks and still passes the unchanged code keys', () => {
    // act
    const { status, stderr, calls } = deployToBucketHolding([keyOf('thumbnail-worker')]);

    // assess
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const bucket = 'gallery-artifacts';
    expect(calls).toEqual([
      ['s3api', 'head-object', '--bucket', bucket, '--key', keyOf('thumbnail-worker')],
      // Every other worker's zip is missing, and so is the layer's.
      ...[...WORKERS.slice(1), SHARP].flatMap((name) => [
        ['s3api', 'head-object', '--bucket', bucket, '--key', keyOf(name)],
        ['s3', 'cp', zipOf(name), `s3://${bucket}/${keyOf(name)}`],
      ]),
      deployCommand(parametersWith()).slice(1),
    ]);
  });

  it.each([
    ['uploads the sharp layer the bucket lacks', [], true],
    ['leaves alone the sharp layer the bucket has', [SHARP], false],
  ])('%s, and passes its key as SharpLayerCodeKey', (_, existing, uploaded) => {
    // act: every worker's zip is in the bucket already
    const { status, stderr, calls } = deployToBucketHolding([...WORKERS, ...existing].map(keyOf));

    // assess
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const bucket = 'gallery-artifacts';
    expect(calls.filter(([command]) => command === 's3')).toEqual(
      uploaded ? [['s3', 'cp', zipOf(SHARP), `s3://${bucket}/${keyOf(SHARP)}`]] : [],
    );
    expect(calls).toContainEqual([
      's3api',
      'head-object',
      '--bucket',
      bucket,
      '--key',
      keyOf(SHARP),
    ]);
    expect(calls.at(-1)).toEqual(deployCommand(parametersWith()).slice(1));
    expect(calls.at(-1)).toContain(`SharpLayerCodeKey=${keyOf(SHARP)}`);
  });

  it('stops before deploying when an upload fails', () => {
    // prepare
    const { binDir, callsLog } = installFakeAws(dir);
    const env = {
      PATH: `${binDir}:${process.env['PATH']}`,
      FAKE_AWS_LOG: callsLog,
      FAKE_AWS_FAIL_UPLOAD: '1',
    };

    // act
    const { status, stderr } = runDeploy(['--manifest', manifest, ...required], env);

    // assess
    expect(status).toBe(2);
    expect(stderr).toBe('deploy: uploading thumbnail-worker failed\n');
    expect(readCalls(callsLog).map((call) => call.slice(0, 2))).toEqual([
      ['s3api', 'head-object'],
      ['s3', 'cp'],
    ]);
  });

  it('takes its options from the environment when no flag gives them', () => {
    // prepare
    const env = {
      DEPLOY_STACK_NAME: 'gallery-test',
      DEPLOY_ARTIFACT_BUCKET: 'gallery-artifacts',
      DEPLOY_API_URL: 'https://photos.example.com',
      DEPLOY_LOG_LEVEL: 'debug',
      AWS_REGION: 'us-east-1',
    };

    // act
    const { status, stdout } = runDeploy(['--dry-run', '--manifest', manifest], env);

    // assess
    expect(status).toBe(0);
    expect(printedCommands(stdout).at(-1)).toEqual(
      deployCommand(parametersWith({ ApiUrl: 'https://photos.example.com', LogLevel: 'debug' }), [
        '--region',
        'us-east-1',
      ]),
    );
  });

  it('prints values with spaces or shell characters so that a shell passes them unchanged', () => {
    // prepare
    const apiUrl = "https://gallery.example.com/base?a=1&b='2'";

    // act
    const { status, stdout } = runDeploy([
      '--dry-run',
      '--manifest',
      manifest,
      '--stack-name',
      'gallery-test',
      '--artifact-bucket',
      'gallery-artifacts',
      `--api-url=${apiUrl}`,
      '--parameter',
      'AlarmEmail=ops team <ops@example.com>',
    ]);

    // assess
    expect(status).toBe(0);
    expect(printedCommands(stdout).at(-1)).toEqual(
      deployCommand(parametersWith({ ApiUrl: apiUrl, AlarmEmail: 'ops team <ops@example.com>' })),
    );
  });

  it('refuses to deploy without the API URL', () => {
    // prepare
    const args = ['--dry-run', '--manifest', manifest, '--artifact-bucket', 'gallery-artifacts'];

    // act
    const { status, stdout, stderr } = runDeploy(args);

    // assess
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('deploy: ApiUrl has no value: pass --api-url\n');
  });

  it('refuses an API URL the template would refuse, before uploading anything', () => {
    // prepare
    const args = ['--dry-run', '--manifest', manifest, '--artifact-bucket', 'gallery-artifacts'];

    // act
    const { status, stderr } = runDeploy([...args, '--api-url', 'http://gallery.example.com']);

    // assess
    expect(status).toBe(2);
    expect(stderr).toBe(
      'deploy: ApiUrl "http://gallery.example.com" does not match ^https://[^\\s/]+(/\\S*)?$\n',
    );
  });

  it('refuses a zip changed since the manifest was written', () => {
    // prepare
    writeFileSync(zipOf('tags-worker'), 'other bytes');

    // act
    const { status, stderr } = runDeploy(['--dry-run', '--manifest', manifest, ...required]);

    // assess
    expect(status).toBe(2);
    expect(stderr).toBe(
      `deploy: ${zipOf('tags-worker')} is not the zip the manifest names: package it again\n`,
    );
  });

  it('refuses a manifest without a worker the template runs', () => {
    // prepare
    writeManifest(dir, ['thumbnail-worker']);

    // act
    const { status, stderr } = runDeploy(['--dry-run', '--manifest', manifest, ...required]);

    // assess
    expect(status).toBe(2);
    expect(stderr).toBe(
      'deploy: no function in the manifest for TagsWorkerCodeKey: package every worker\n',
    );
  });

  it('refuses a manifest without the sharp layer the template uses', () => {
    // prepare
    writeManifest(dir, WORKERS, []);

    // act
    const { status, stderr } = runDeploy(['--dry-run', '--manifest', manifest, ...required]);

    // assess
    expect(status).toBe(2);
    expect(stderr).toBe(
      'deploy: no layer in the manifest for SharpLayerCodeKey: run `npx nx run tools:lambda-manifest`\n',
    );
  });

  it('refuses a layer zip changed since the manifest was written', () => {
    // prepare
    writeFileSync(zipOf(SHARP), 'other bytes');

    // act
    const { status, stderr } = runDeploy(['--dry-run', '--manifest', manifest, ...required]);

    // assess
    expect(status).toBe(2);
    expect(stderr).toBe(
      `deploy: ${zipOf(SHARP)} is not the zip the manifest names: package it again\n`,
    );
  });

  it('refuses a worker the template has no function for', () => {
    // prepare
    writeManifest(dir, [...WORKERS, 'stray-worker']);

    // act
    const { status, stderr } = runDeploy(['--dry-run', '--manifest', manifest, ...required]);

    // assess
    expect(status).toBe(2);
    expect(stderr).toBe(
      'deploy: the template has no parameter StrayWorkerCodeKey for stray-worker\n',
    );
  });

  it('refuses an unknown option and shows how it is used', () => {
    // prepare
    const args = ['--dry-run', '--manifest', manifest, ...required, '--stack', 'x'];

    // act
    const { status, stderr } = runDeploy(args);

    // assess
    expect(status).toBe(2);
    expect(stderr).toMatch(/^deploy: unknown option --stack\n\nUsage: nx deploy infra/);
  });
});
