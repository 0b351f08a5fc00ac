import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export { peoplePhotoPath } from '@gallery/imaging/testing';

// The launcher shared with `npm start`.
const processes = require('../../scripts/gallery-processes.cjs') as {
  startGallery(options: {
    dataDir: string;
    port: number;
    env?: NodeJS.ProcessEnv;
    onLine?: (app: string, line: string) => void;
  }): Promise<RunningGallery>;
  startApp(
    name: string,
    options: { env?: NodeJS.ProcessEnv; onLine?: (app: string, line: string) => void },
  ): App;
};

export interface App {
  name: string;
  child: import('node:child_process').ChildProcess;
  exited: Promise<unknown>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface RunningGallery {
  baseUrl: string;
  /** The api and each processor's worker, by project name. */
  apps: Record<string, App>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export const ADMIN_PASSWORD = 'correct horse battery staple';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the real processes on a fresh data directory and a free loopback port. */
export async function startTestGallery(env: NodeJS.ProcessEnv = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-e2e-'));
  const logs: string[] = [];
  const port = await freePort();
  const shared = { ADMIN_PASSWORD, LOG_LEVEL: 'info', ...env, DATA_DIR: dataDir };
  const onLine = (app: string, line: string) => logs.push(`${app}: ${line}`);
  const gallery = await processes.startGallery({ dataDir, port, env: shared, onLine });
  /**
   * Starts another process of an app as the gallery started its own (same data directory,
   * settings and log), with `extra` settings on top; `alsoOnLine` sees its lines too. The
   * caller decides where the process goes.
   */
  const launch = (
    name: App['name'],
    extra: NodeJS.ProcessEnv = {},
    alsoOnLine: (line: string) => void = () => undefined,
  ): App => {
    const place =
      name === 'api' ? { PORT: String(port), HOST: '127.0.0.1' } : { API_URL: gallery.baseUrl };
    return processes.startApp(name, {
      env: { ...shared, ...place, ...extra },
      onLine: (app, line) => {
        onLine(app, line);
        alsoOnLine(line);
      },
    });
  };
  /** Starts the API again (after a stop or a kill) and waits until it answers. */
  const restartApi = async (extra: NodeJS.ProcessEnv = {}) => {
    gallery.apps.api = launch('api', extra);
    const answers = () =>
      fetch(`${gallery.baseUrl}/api/auth/me`).then(
        (response) => response.status,
        () => 0,
      );
    await until(async () => ((await answers()) === 401 ? true : undefined), 'the API to come back');
  };
  return { ...gallery, dataDir, logs, launch, restartApi };
}

/** Logs in as admin and returns the session cookie for later requests. */
export async function login(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (response.status !== 200)
    throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie');
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0];
}

/** A photo-like 12-megapixel JPEG: a gradient with noise, so it compresses like a photo. */
export async function makeJpeg(width = 4000, height = 3000): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  return sharp(noise).blur(2).modulate({ saturation: 1.5 }).jpeg({ quality: 85 }).toBuffer();
}

/** Where a JPEG's entropy-coded data starts: just past its (first) start-of-scan header. */
function scanDataStart(jpeg: Buffer): number {
  let offset = 2;
  while (offset + 4 <= jpeg.length && jpeg[offset] === 0xff) {
    const marker = jpeg[offset + 1];
    const end = offset + 2 + jpeg.readUInt16BE(offset + 2);
    if (marker === 0xda) return end;
    offset = end;
  }
  throw new Error('no start-of-scan segment in the JPEG');
}

async function decodesCleanly(bytes: Buffer): Promise<boolean> {
  try {
    // As the workers open uploads: any decoder warning is a failure.
    await sharp(bytes, { failOn: 'warning' }).raw().toBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * A JPEG with sound headers and garbage scan data: a run in the middle of the entropy-coded
 * data is overwritten with 0x55, which creates no 0xFF marker, and the final FFD9 stays. The
 * API takes it (its headers tell a JPEG of known size); decoding it fails. Some runs decode
 * by chance into other pixels, so each one is checked with sharp and a longer one tried.
 */
export async function makeCorruptJpeg(width = 640, height = 480): Promise<Buffer> {
  const jpeg = await makeJpeg(width, height);
  const scan = scanDataStart(jpeg);
  const scanLength = jpeg.length - 2 - scan;
  const start = scan + Math.floor(scanLength / 3);
  for (const fraction of [0.01, 0.05, 0.2, 0.5]) {
    const corrupt = Buffer.from(jpeg);
    corrupt.fill(0x55, start, start + Math.max(16, Math.floor(scanLength * fraction)));
    if (!(await decodesCleanly(corrupt))) return corrupt;
  }
  throw new Error('every corrupted copy of the JPEG still decoded');
}

export function makePng(width = 640, height = 480): Promise<Buffer> {
  return sharp({
    create: { width, height, channels: 4, background: { r: 30, g: 120, b: 200, alpha: 0.8 } },
  })
    .png()
    .toBuffer();
}

export async function upload(
  baseUrl: string,
  cookie: string,
  name: string,
  file: Buffer,
  filename: string,
): Promise<{ status: number; body: { id: string } & Record<string, unknown> }> {
  const form = new FormData();
  form.set('name', name);
  form.set('file', new Blob([new Uint8Array(file)]), filename);
  const response = await fetch(`${baseUrl}/api/images`, {
    method: 'POST',
    headers: { cookie },
    body: form,
  });
  return { status: response.status, body: await response.json() };
}

/** Polls `probe` every 100 ms until it gives a value; fails naming `what` after the timeout. */
export async function until<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until no processor of the image is pending any more; resolves with the image. */
export function untilProcessed<Image extends { status: Record<string, string> }>(
  getImage: (id: string) => Promise<Image>,
  id: string,
): Promise<Image> {
  return until(async () => {
    const image = await getImage(id);
    return Object.values(image.status).every((status) => status !== 'pending') ? image : undefined;
  }, `image ${id} to be processed`);
}
