import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { affectedProjects, copyWorkspace } from './workspace-copy';

describe('nx affected', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyWorkspace();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists tags-worker and not thumbnail-worker after a change to a file only tags-worker uses', () => {
    appendFileSync(path.join(dir, 'apps/tags-worker/src/process-record.ts'), '\n// changed\n');

    const affected = affectedProjects(dir);

    expect(affected).toContain('tags-worker');
    expect(affected).not.toContain('thumbnail-worker');
    expect(affected).not.toContain('api');
  });

  it('lists both workers and the api after a change to a library they share', () => {
    appendFileSync(path.join(dir, 'libs/storage/src/keys.ts'), '\n// changed\n');

    const affected = affectedProjects(dir);

    expect(affected).toEqual(
      expect.arrayContaining(['storage', 'tags-worker', 'thumbnail-worker', 'api']),
    );
    expect(affected).not.toContain('web');
  });
});
