import { fork } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { manualClock, useTempDir } from '../test/support';
import { createFileQueue, type FileQueue } from './file-queue';

/** Receives until the queue looks empty; every receive is a race with the other receivers. */
async function drain(queue: FileQueue): Promise<string[]> {
  const received: string[] = [];
  for (;;) {
    const batch = await queue.receive(7);
    if (batch.length === 0) return received;
    received.push(...batch.map((message) => message.messageId));
  }
}

async function fill(queue: FileQueue, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push(await queue.send(`message ${index}`));
  return ids;
}

/** A receiver in another process, on the queue module bundled for plain Node. */
async function startChildReceiver(workDir: string, queueDir: string) {
  const modulePath = join(workDir, 'file-queue.js');
  buildSync({
    entryPoints: [join(__dirname, 'file-queue.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: modulePath,
    logLevel: 'silent',
  });
  const scriptPath = join(workDir, 'receiver.js');
  await writeFile(
    scriptPath,
    `const { createFileQueue } = require(${JSON.stringify(modulePath)});
const queue = createFileQueue({ dir: process.argv[2], visibilityTimeoutSeconds: 3600 });
process.once('message', async () => {
  const received = [];
  for (;;) {
    const batch = await queue.receive(7);
    if (batch.length === 0) break;
    received.push(...batch.map((message) => message.messageId));
  }
  process.send(received, () => process.exit(0));
});
process.send('ready');
`,
  );
  const child = fork(scriptPath, [queueDir], { execArgv: [], stdio: 'inherit' });
  await once(child, 'message');
  return {
    start: () => child.send('go'),
    received: async () => (await once(child, 'message'))[0] as string[],
  };
}

describe('file queue shared by several receivers', () => {
  const tempDir = useTempDir();

  it('hands each message to exactly one of two receivers racing in one process', async () => {
    // prepare
    const clock = manualClock();
    const dir = join(tempDir(), 'queue');
    const first = createFileQueue({ dir, now: clock.now });
    const second = createFileQueue({ dir, now: clock.now });
    const sent = await fill(first, 200);
    // act
    const [byFirst, bySecond] = await Promise.all([drain(first), drain(second)]);
    // assess
    const all = [...byFirst, ...bySecond];
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect([...all].sort()).toEqual([...sent].sort());
    expect(byFirst.length).toBeGreaterThan(0);
    expect(bySecond.length).toBeGreaterThan(0);
    expect(await first.counts()).toEqual({ ready: 0, leased: 200, dead: 0 });
  });

  it('hands each message to exactly one receiver across processes', async () => {
    // prepare
    const dir = join(tempDir(), 'queue');
    const here = createFileQueue({ dir, visibilityTimeoutSeconds: 3600 });
    const sent = await fill(here, 300);
    const child = await startChildReceiver(tempDir(), dir);
    // act
    child.start();
    const [byChild, byParent] = await Promise.all([child.received(), drain(here)]);
    // assess
    const all = [...byChild, ...byParent];
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual([...sent].sort());
  }, 30_000);
});
