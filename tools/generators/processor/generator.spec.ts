import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { CATALOG } from '@gallery/processors';
import { renderTemplate } from '@gallery/stack-template';
import { readCatalog } from './catalog-source';
import { processorGenerator } from './generator';

const workspace = path.resolve(__dirname, '../../..');
/** The files of this workspace the generator edits, as they are. */
const EDITED = [
  'libs/processors/src/catalog.ts',
  'libs/processors/src/results.ts',
  'apps/infra/template.yaml',
];

describe('the processor generator', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    // Nx's empty workspace names oxfmt as its formatter, which is not installed here: without
    // it, formatFiles leaves the files as written (a real run formats them with prettier).
    tree.delete('.oxfmtrc.json');
    for (const file of EDITED) tree.write(file, readFileSync(path.join(workspace, file), 'utf8'));
  });

  it("writes the worker's app: its work, two entry points, a spec, its targets", async () => {
    await processorGenerator(tree, { name: 'probe' });

    expect(tree.children('apps/probe-worker').sort()).toEqual([
      'jest.config.cjs',
      'project.json',
      'src',
      'tsconfig.app.json',
      'tsconfig.json',
      'tsconfig.spec.json',
    ]);
    expect(tree.children('apps/probe-worker/src').sort()).toEqual([
      'lambda.ts',
      'local.ts',
      'process-record.spec.ts',
      'process-record.ts',
    ]);
    const project = JSON.parse(tree.read('apps/probe-worker/project.json', 'utf-8') ?? '');
    expect(project.name).toBe('probe-worker');
    expect(Object.keys(project.targets)).toEqual([
      'build',
      'build-local',
      'package',
      'serve',
      'typecheck',
    ]);
    expect(project.targets.build.options.main).toBe('apps/probe-worker/src/lambda.ts');
    expect(project.targets['build-local'].options.main).toBe('apps/probe-worker/src/local.ts');
    expect(tree.read('apps/probe-worker/src/lambda.ts', 'utf-8')).toContain("processor: 'probe'");
  });

  it('adds the catalog entry and a result schema, after the others', async () => {
    await processorGenerator(tree, { name: 'spec-probe' });

    const catalog = readCatalog(tree);
    expect(catalog.map((entry) => entry.name)).toEqual([
      ...CATALOG.map((entry) => entry.name),
      'spec-probe',
    ]);
    expect(catalog.at(-1)).toMatchObject({
      queue: 'spec-probe',
      project: 'spec-probe-worker',
      route: 'spec-probe',
      storage: 'json',
    });
    expect(tree.read('libs/processors/src/results.ts', 'utf-8')).toMatch(
      /'spec-probe': z\.object\(\{\}\),\n\} satisfies/,
    );
  });

  // Whether what it renders passes the template's checks is infra's test (generated-template).
  it("renders the processor's part of the template from the catalog", async () => {
    const before = tree.read('apps/infra/template.yaml', 'utf-8') ?? '';

    await processorGenerator(tree, { name: 'probe' });

    expect(tree.read('apps/infra/template.yaml', 'utf-8')).toBe(
      renderTemplate(before, readCatalog(tree)),
    );
    expect(tree.read('apps/infra/template.yaml', 'utf-8')).toMatch(/^ {2}ProbeWorkerFunction:$/m);
  });

  it.each([
    ['a name the catalog has', 'thumbnail', 'the catalog already has a processor named thumbnail'],
    ['a name whose worker exists', 'probe', 'apps/probe-worker already exists'],
    ['a name that is not one', 'Probe!', '"Probe!" is not a processor name'],
  ])('refuses %s and changes nothing', async (_, name, message) => {
    tree.write('apps/probe-worker/project.json', '{}');
    const before = tree.listChanges().map((change) => [change.path, change.content?.toString()]);

    await expect(processorGenerator(tree, { name })).rejects.toThrow(message);

    expect(tree.listChanges().map((change) => [change.path, change.content?.toString()])).toEqual(
      before,
    );
  });
});
