// A throwaway PostgreSQL server from Debian's packages, for the tests and the bench: on a
// loopback port, in a temporary directory, stopped and removed by stop(). Plain TypeScript
// with type-only syntax, so that the bench's CommonJS can require it as it is.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PostgresServer {
  /** postgres://gallery@127.0.0.1:<port>/postgres, trust authentication. */
  url: string;
  stop(): Promise<void>;
}

/** Debian's PostgreSQL server binaries, newest version first. */
function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions
    .map((version) => join(root, version, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')));
  if (!bin) {
    throw new Error(
      'PostgreSQL is not installed: apt-get install postgresql (or set TEST_DATABASE_URL)',
    );
  }
  return bin;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(bin: string, port: number, server: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (server.exitCode !== null) throw new Error(`postgres exited with ${server.exitCode}`);
    try {
      execFileSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], {
        stdio: 'ignore',
      });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`postgres did not accept connections on port ${port}`);
}

/**
 * Starts the server; resolves with its URL and stop(). PostgreSQL refuses to run as root, so
 * as root it runs as the `postgres` user Debian's package makes. `maxConnections` is raised
 * for suites that run several API instances, each with a pool and a listener.
 */
export async function startPostgresServer({ maxConnections = 100 } = {}): Promise<PostgresServer> {
  const bin = serverBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'gallery-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const postgres = execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim();
    chownSync(dir, Number(postgres), Number(postgres));
  }
  const command = (file: string, args: string[]): [string, string[]] =>
    asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, file), ...args]]
      : [join(bin, file), args];

  const data = join(dir, 'data');
  execFileSync(...command('initdb', ['-D', data, '-A', 'trust', '-U', 'gallery', '--no-sync']), {
    stdio: 'ignore',
  });
  const port = await freePort();
  const server = spawn(
    ...command('postgres', [
      '-D',
      data,
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-k',
      dir,
      '-F',
      '-c',
      `max_connections=${maxConnections}`,
    ]),
    { stdio: 'ignore' },
  );
  const url = `postgres://gallery@127.0.0.1:${port}/postgres`;
  await waitUntilReady(bin, port, server);
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      // pg_ctl, not a signal: runuser does not pass every signal on to the server.
      execFileSync(...command('pg_ctl', ['-D', data, 'stop', '-m', 'fast', '-w']), {
        stdio: 'ignore',
      });
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A database of its own for a test: a new database on the server TEST_DATABASE_URL names
 * (dropped by stop()), or else a server started from Debian's packages.
 */
export async function startTestDatabase(): Promise<PostgresServer> {
  const given = process.env['TEST_DATABASE_URL'];
  if (!given) return startPostgresServer();
  const name = `gallery_test_${process.pid}_${Date.now()}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: given });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(given);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    stop: () => admin(`drop database ${name} with (force)`),
  };
}
