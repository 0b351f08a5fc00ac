import { formatFiles, generateFiles, names, type Tree } from '@nx/devkit';
import * as path from 'path';
import { renderTemplate } from '@gallery/stack-template';
import { appendToCatalog, appendToResults, readCatalog } from './catalog-source';
import type { ProcessorGeneratorSchema } from './schema';

const TEMPLATE_FILE = 'apps/infra/template.yaml';
const NAME = /^[a-z][a-z0-9-]*$/;

/**
 * `npx nx g @gallery/tools:processor <name>`: a new processor, from its worker to its stack.
 * Writes apps/<name>-worker (its work's outline, its two entry points on the worker runtime,
 * a spec that passes, its build, build-local and package targets), adds its entry to the
 * catalog with a result schema to fill in, and renders its part of the CloudFormation template
 * from the catalog. Everything else (the API's callback route and secret, the local fan-out,
 * the launcher, the web app's status, reprocess and redrive, packaging, the deploy, the bench
 * and the fault suite) reads the catalog. Checks everything before it writes anything.
 */
export async function processorGenerator(tree: Tree, { name }: ProcessorGeneratorSchema) {
  if (!NAME.test(name)) {
    throw new Error(`"${name}" is not a processor name: lower case letters, digits and -`);
  }
  const project = `${name}-worker`;
  const root = `apps/${project}`;
  const catalog = readCatalog(tree);
  if (catalog.some((entry) => entry.name === name || entry.queue === name)) {
    throw new Error(`the catalog already has a processor named ${name}: nothing was changed`);
  }
  if (tree.exists(root)) {
    throw new Error(`${root} already exists: nothing was changed`);
  }

  const worker = `${names(name).propertyName}Worker`;
  generateFiles(tree, path.join(__dirname, 'files'), root, { name, project, worker });
  appendToCatalog(tree, catalogEntry(name, project));
  appendToResults(tree, resultSchema(name));
  const template = tree.read(TEMPLATE_FILE, 'utf-8');
  if (template === null) throw new Error(`${TEMPLATE_FILE} is missing`);
  tree.write(TEMPLATE_FILE, renderTemplate(template, readCatalog(tree)));
  await formatFiles(tree);
}

function catalogEntry(name: string, project: string): string {
  return `  {
    name: '${name}',
    queue: '${name}',
    project: '${project}',
    route: '${name}',
    pendingText: '${name}…',
    failedText: '${name} failed',
    // Its result is stored as JSON and returned in the image JSON under its name.
    storage: 'json',
    sharp: false,
    lambda: {
      description: 'image.uploaded → ${name} → callback to the API',
      memoryMb: 512,
      timeoutSeconds: 30,
      batchSize: 5,
      batchingWindowSeconds: 0,
      maximumConcurrency: 2,
      writesPrefixes: [],
      resourcelessActions: [],
    },
  },`;
}

function resultSchema(name: string): string {
  const key = /^[a-z][a-z0-9]*$/.test(name) ? name : `'${name}'`;
  return `  /** What the ${name} processor reports when done: its fields, to fill in. */
  ${key}: z.object({}),`;
}

export default processorGenerator;
