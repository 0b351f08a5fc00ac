import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const WORKSPACE_ROOT = path.resolve(__dirname, '..', '..', '..');
const DEPLOY_SCRIPT = path.join(WORKSPACE_ROOT, 'apps/infra/deploy.cjs');

export interface PackagedFunction {
  name: string;
  zipPath: string;
  s3Key: string;
}

/** The version the fake layers claim to hold. */
export const LAYER_VERSION = '0.35.5';

/**
 * Zips of random bytes (the script only hashes and uploads them) and their manifest: one per
 * function `names`, one per layer `layers` (the sharp layer unless told otherwise). Returns
 * them all, functions first.
 */
export function writeManifest(
  dir: string,
  names: string[],
  layers: string[] = ['sharp'],
): PackagedFunction[] {
  const zipOf = (name: string, file: string, keyOf: (sha256: string) => string) => {
    const bytes = randomBytes(64);
    const zipPath = path.join(dir, file);
    writeFileSync(zipPath, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    return { name, zip: zipPath, sha256, size: bytes.length, s3Key: keyOf(sha256) };
  };
  const functions = names.map((name) =>
    zipOf(name, `${name}.zip`, (sha256) => `lambda/${name}/${sha256}.zip`),
  );
  const layerCodes = layers.map((name) => ({
    ...zipOf(
      name,
      `${name}-layer.zip`,
      (sha256) => `lambda/layers/${name}/${LAYER_VERSION}/${sha256}.zip`,
    ),
    version: LAYER_VERSION,
  }));
  const byName = (codes: { name: string }[]) =>
    Object.fromEntries(codes.map((code) => [code.name, code]));
  writeFileSync(
    path.join(dir, 'manifest.json'),
    JSON.stringify({ functions: byName(functions), layers: byName(layerCodes) }),
  );
  return [...functions, ...layerCodes].map(({ name, zip, s3Key }) => ({
    name,
    zipPath: zip,
    s3Key,
  }));
}

/**
 * An `aws` executable that records each call's arguments, answers head-object as S3 would
 * (found only for the keys in FAKE_AWS_EXISTING), and fails uploads when FAKE_AWS_FAIL_UPLOAD
 * is set. The AWS CLI is the script's boundary, as the SDK is the workers'.
 */
export function installFakeAws(dir: string): { binDir: string; callsLog: string } {
  const binDir = path.join(dir, 'bin');
  const callsLog = path.join(dir, 'aws-calls.jsonl');
  mkdirSync(binDir, { recursive: true });
  const script = path.join(binDir, 'aws');
  writeFileSync(
    script,
    `#!${process.execPath}
const { appendFileSync } = require('node:fs');
const args = process.argv.slice(2);
appendFileSync(process.env.FAKE_AWS_LOG, JSON.stringify(args) + '\\n');
if (args[0] === 's3api' && args[1] === 'head-object') {
  const key = args[args.indexOf('--key') + 1];
  if (!(process.env.FAKE_AWS_EXISTING ?? '').split(',').includes(key)) {
    console.error('An error occurred (404) when calling the HeadObject operation: Not Found');
    process.exit(254);
  }
}
if (args[0] === 's3' && args[1] === 'cp' && process.env.FAKE_AWS_FAIL_UPLOAD) process.exit(1);
`,
  );
  chmodSync(script, 0o755);
  return { binDir, callsLog };
}

export function readCalls(callsLog: string): string[][] {
  return readFileSync(callsLog, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);
}

/** Runs the deploy script from the workspace root, with only the variables given. */
export function runDeploy(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [DEPLOY_SCRIPT, ...args], {
    cwd: WORKSPACE_ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The printed commands, as the arguments a shell would pass: bash itself splits each line. */
export function printedCommands(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const words = spawnSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
      if (words.status !== 0) throw new Error(`bash could not read: ${line}`);
      return words.stdout.split('\0').slice(0, -1);
    });
}
