import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ADMIN_PASSWORD,
  freePort,
  login,
  makeJpeg,
  until,
  upload,
  type RunningGallery,
} from './gallery';
import { affectedProjects, copyWorkspace, run } from './workspace-copy';

/** Output without colour codes, to read. */
const PLAIN = { FORCE_COLOR: '0', NO_COLOR: '1' };

/**
 * A developer's most frequent change, made as they would make it: `nx g` adds a processor in a
 * copy of the workspace, which then passes its checks and runs it with the others.
 */
describe('a processor added with nx g @gallery/tools:processor', () => {
  let dir: string;
  let generated: string;
  let gallery: RunningGallery | undefined;

  beforeAll(() => {
    dir = copyWorkspace();
    generated = run(
      dir,
      'npx',
      ['nx', 'g', '@gallery/tools:processor', 'faces', '--no-interactive'],
      {
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
    );
  });
  afterAll(async () => {
    await gallery?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes nothing outside its worker but the catalog and the template', () => {
    const changed = run(dir, 'git', ['status', '--porcelain', '--untracked-files=all'])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3))
      .filter((file) => !file.startsWith('apps/faces-worker/'));

    expect(generated).toContain('CREATE apps/faces-worker/src/process-record.ts');
    expect(changed.sort()).toEqual([
      'apps/infra/template.yaml',
      'libs/processors/src/catalog.ts',
      'libs/processors/src/results.ts',
    ]);
  });

  it('lints, type-checks, tests and packages, and its template passes the checks', () => {
    const output = run(
      dir,
      'npx',
      [
        'nx',
        'run-many',
        '-t',
        'lint',
        'typecheck',
        'test',
        'package',
        '-p',
        'faces-worker',
        'infra',
        '--output-style=static',
      ],
      PLAIN,
    );

    expect(output).toMatch(
      /Successfully ran targets lint, typecheck, test, package for 2 projects/,
    );
  }, 300_000);

  it("runs with the others: an upload's faces go from pending to done", async () => {
    run(dir, 'npx', ['nx', 'run-many', '-t', 'build', 'build-local', '--output-style=static']);
    const processes = require(path.join(dir, 'tools/scripts/gallery-processes.cjs')) as {
      startGallery(options: {
        dataDir: string;
        port: number;
        env: NodeJS.ProcessEnv;
      }): Promise<RunningGallery>;
    };
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gallery-generated-'));
    gallery = await processes.startGallery({
      dataDir,
      port: await freePort(),
      env: { ADMIN_PASSWORD, LOG_LEVEL: 'warn' },
    });
    const cookie = await login(gallery.baseUrl);

    const created = await upload(
      gallery.baseUrl,
      cookie,
      'faces',
      await makeJpeg(800, 600),
      'a.jpg',
    );
    const image = await until(async () => {
      const response = await fetch(`${gallery?.baseUrl}/api/images/${created.body.id}`, {
        headers: { cookie },
      });
      const body = (await response.json()) as { status: Record<string, string>; faces: unknown };
      return body.status['faces'] === 'done' ? body : undefined;
    }, 'the faces of the upload');

    expect(gallery.apps['faces-worker']).toBeDefined();
    expect((created.body['status'] as Record<string, string>)['faces']).toBe('pending');
    expect(image.faces).toEqual({});
    await gallery.stop();
    gallery = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  }, 300_000);

  it('is the only app nx affected lists after a change to its work', () => {
    run(dir, 'git', ['add', '-A']);
    run(dir, 'git', [
      '-c',
      'user.name=ci',
      '-c',
      'user.email=ci@localhost',
      'commit',
      '-qm',
      'faces',
    ]);
    appendFileSync(path.join(dir, 'apps/faces-worker/src/process-record.ts'), '\n// changed\n');

    // Beside the end-to-end suite (tools), which runs every worker.
    expect(affectedProjects(dir).sort()).toEqual(['faces-worker', 'tools']);
  });
});
