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
    await processorGenerator(tree, { name: 'faces' });

    expect(tree.children('apps/faces-worker').sort()).toEqual([
      'jest.config.cjs',
      'project.json',
      'src',
      'tsconfig.app.json',
      'tsconfig.json',
      'tsconfig.spec.json',
    ]);
    expect(tree.children('apps/faces-worker/src').sort()).toEqual([
      'lambda.ts',
      'local.ts',
      'process-record.spec.ts',
      'process-record.ts',
    ]);
    const project = JSON.parse(tree.read('apps/faces-worker/project.json', 'utf-8') ?? '');
    expect(project.name).toBe('faces-worker');
    expect(Object.keys(project.targets)).toEqual([
      'build',
      'build-local',
      'package',
      'serve',
      'typecheck',
    ]);
    expect(project.targets.build.options.main).toBe('apps/faces-worker/src/lambda.ts');
    expect(project.targets['build-local'].options.main).toBe('apps/faces-worker/src/local.ts');
    expect(tree.read('apps/faces-worker/src/lambda.ts', 'utf-8')).toContain("processor: 'faces'");
  });

  it('adds the catalog entry and a result schema, after the others', async () => {
    await processorGenerator(tree, { name: 'photo-faces' });

    const catalog = readCatalog(tree);
    expect(catalog.map((entry) => entry.name)).toEqual([
      ...CATALOG.map((entry) => entry.name),
      'photo-faces',
    ]);
    expect(catalog.at(-1)).toMatchObject({
      queue: 'photo-faces',
      project: 'photo-faces-worker',
      route: 'photo-faces',
      storage: 'json',
    });
    expect(tree.read('libs/processors/src/results.ts', 'utf-8')).toMatch(
      /'photo-faces': z\.object\(\{\}\),\n\} satisfies/,
    );
  });

  // Whether what it renders passes the template's checks is infra's test (generated-template).
  it("renders the processor's part of the template from the catalog", async () => {
    const before = tree.read('apps/infra/template.yaml', 'utf-8') ?? '';

    await processorGenerator(tree, { name: 'faces' });

    expect(tree.read('apps/infra/template.yaml', 'utf-8')).toBe(
      renderTemplate(before, readCatalog(tree)),
    );
    expect(tree.read('apps/infra/template.yaml', 'utf-8')).toMatch(/^ {2}FacesWorkerFunction:$/m);
  });

  it.each([
    ['a name the catalog has', 'thumbnail', 'the catalog already has a processor named thumbnail'],
    ['a name whose worker exists', 'faces', 'apps/faces-worker already exists'],
    ['a name that is not one', 'Faces!', '"Faces!" is not a processor name'],
  ])('refuses %s and changes nothing', async (_, name, message) => {
    tree.write('apps/faces-worker/project.json', '{}');
    const before = tree.listChanges().map((change) => [change.path, change.content?.toString()]);

    await expect(processorGenerator(tree, { name })).rejects.toThrow(message);

    expect(tree.listChanges().map((change) => [change.path, change.content?.toString()])).toEqual(
      before,
    );
  });
});
