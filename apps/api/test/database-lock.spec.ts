import { sql } from 'kysely';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPglite } from '../src/db/connect';

const inUse = (dataDir: string, pid: number) =>
  `the database in ${dataDir} is already open by process ${pid}; only one API may open it ` +
  '(set DATABASE_URL for PostgreSQL to run several)';

describe('the lock on the embedded database directory', () => {
  let dir: string;
  let dataDir: string;
  let lockFile: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gallery-lock-'));
    dataDir = join(dir, 'db');
    lockFile = `${dataDir}.lock`;
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second open while the first is open, and keeps the first working', async () => {
    const first = await connectPglite(dataDir);
    try {
      const second = connectPglite(dataDir);

      await expect(second).rejects.toThrow(inUse(dataDir, process.pid));
      await expect(sql`select 1 as one`.execute(first.db)).resolves.toMatchObject({
        rows: [{ one: 1 }],
      });
      expect((await readFile(lockFile, 'utf8')).trim()).toBe(String(process.pid));
    } finally {
      await first.close();
    }
  });

  it('opens again, with what was written, once the first has closed', async () => {
    const first = await connectPglite(dataDir);
    await sql`create table kept (n int)`.execute(first.db);
    await sql`insert into kept values (42)`.execute(first.db);
    await first.close();

    const second = await connectPglite(dataDir);
    const { rows } = await sql<{ n: number }>`select n from kept`.execute(second.db);
    await second.close();

    expect(rows).toEqual([{ n: 42 }]);
    expect(existsSync(lockFile)).toBe(false);
  });

  it('refuses a directory another live process holds', async () => {
    const holder = await startIdleProcess();
    try {
      await writeFile(lockFile, `${holder.pid}\n`);

      const opening = connectPglite(dataDir);

      await expect(opening).rejects.toThrow(inUse(dataDir, holder.pid ?? -1));
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
    } finally {
      await stop(holder);
    }
  });

  it('takes over a lock left by a process that has died', async () => {
    const { pid: dead } = spawnSync(process.execPath, ['-e', '']);
    await writeFile(lockFile, `${dead}\n`);

    const database = await connectPglite(dataDir);
    const owner = (await readFile(lockFile, 'utf8')).trim();
    await database.close();

    expect(owner).toBe(String(process.pid));
    expect(existsSync(lockFile)).toBe(false);
  });

  it('takes over a lock naming its own pid that it never took, as after a container restart', async () => {
    await writeFile(lockFile, `${process.pid}\n`);

    const database = await connectPglite(dataDir);
    await database.close();

    expect(existsSync(lockFile)).toBe(false);
  });
});

/** A child process that stays alive until killed; resolves once it runs. */
function startIdleProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
    stdio: 'ignore',
  });
  return new Promise((resolve, reject) => {
    child.once('spawn', () => resolve(child));
    child.once('error', reject);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill();
  });
}
