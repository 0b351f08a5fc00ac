import { CATALOG } from '@gallery/processors';
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { affectedProjects, copyWorkspace, run } from './workspace-copy';

const WORKERS = CATALOG.map((entry) => entry.project);

/** Nx's cache in use whatever the caller's environment says (CI skips it). */
const WITH_CACHE = { NX_SKIP_NX_CACHE: 'false', NX_DISABLE_NX_CACHE: 'false' };

/** The output of an Nx run, one line per task, `[local cache]` after those read from cache. */
const nx = (dir: string, ...args: string[]) =>
  run(dir, 'npx', ['nx', ...args, '--output-style=static'], WITH_CACHE);

const taskLine = (output: string, task: string) =>
  stripVTControlCharacters(output)
    .split('\n')
    .find((line) => line.startsWith(`> nx run ${task}`));

describe('nx affected -t package', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyWorkspace();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('zips tags-worker alone after a change to a file only tags-worker uses', () => {
    appendFileSync(path.join(dir, 'apps/tags-worker/src/process-record.ts'), '\n// changed\n');

    const affected = affectedProjects(dir, 'package');

    expect(affected).toEqual(['tags-worker']);
  });

  it('zips both workers after a change to a library they share', () => {
    appendFileSync(path.join(dir, 'libs/storage/src/keys.ts'), '\n// changed\n');

    const affected = affectedProjects(dir, 'package');

    expect(affected.sort()).toEqual([...WORKERS].sort());
  });

  it('reads the zip from the cache after a change to a spec alone, and makes it anew after a change to bundled code', () => {
    // prepare
    const first = nx(dir, 'run', 'thumbnail-worker:package');
    appendFileSync(
      path.join(dir, 'apps/thumbnail-worker/src/thumbnails.spec.ts'),
      '\n// changed\n',
    );

    // act
    const afterSpec = nx(dir, 'affected', '-t', 'package', '--base=HEAD');
    // A statement the bundle keeps: a comment alone leaves the zip's bytes, and so its cache key,
    // as they were.
    appendFileSync(
      path.join(dir, 'apps/thumbnail-worker/src/thumbnails.ts'),
      "\nObject.assign(globalThis, { changed: 'yes' });\n",
    );
    const afterCode = nx(dir, 'affected', '-t', 'package', '--base=HEAD');

    // assess
    expect(taskLine(first, 'thumbnail-worker:package')).not.toContain('[local cache]');
    expect(taskLine(afterSpec, 'thumbnail-worker:package')).toContain('[local cache]');
    expect(taskLine(afterSpec, 'tags-worker:package')).toBeUndefined();
    expect(taskLine(afterCode, 'thumbnail-worker:package')).not.toContain('[local cache]');
  });
});
