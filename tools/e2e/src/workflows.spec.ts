import { CATALOG, type ProcessorEntry } from '@gallery/processors';
import { processorIds } from '@gallery/stack-template';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  globSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { parse, stringify } from 'yaml';
import { CI_COMMANDS, type CiCommand } from './ci-commands';

/** Every processor's worker, sorted. */
const WORKERS = CATALOG.map((entry) => entry.project).sort();
import { copyWorkspace, run, workspace } from './workspace-copy';

// The GitHub workflows: valid for GitHub, and every nx command they run is one run here, in a
// copy of the workspace, with the environment its step has.

const WORKFLOW_FILES = ['ci.yml', 'deploy.yml'] as const;
type WorkflowFile = (typeof WORKFLOW_FILES)[number];
const WORKFLOWS = path.join(workspace, '.github/workflows');
const VALIDATOR = path.join(workspace, 'node_modules/.bin/action-validator');

type Env = Record<string, string | number | boolean>;
interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
  env?: Env;
}
interface Job {
  'runs-on'?: unknown;
  env?: Env;
  steps?: Step[];
}
interface Workflow {
  env?: Env;
  jobs: Record<string, Job>;
}
interface PackagedZip {
  zip: string;
  sha256: string;
  s3Key: string;
}
interface Manifest {
  functions: Record<string, PackagedZip>;
  layers: Record<string, PackagedZip>;
}

const readWorkflow = (file: WorkflowFile) =>
  parse(readFileSync(path.join(WORKFLOWS, file), 'utf8')) as Workflow;
const stepsOf = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
const stepUsing = (workflow: Workflow, action: string) => {
  const step = stepsOf(workflow).find(({ uses }) => uses?.startsWith(`${action}@`));
  if (!step) throw new Error(`no step uses ${action}`);
  return step;
};

/** A command that runs nx: `npx nx …`, `nx …`, `node_modules/.bin/nx …`. */
const RUNS_NX = /(^|[\s/])nx(\s|$)/;
/** `npm test`, `npm run <script>`…: what runs is the script's own command line. */
const NPM_SCRIPT = /^npm (?:run(?:-script)? (\S+)|(test|start))(\s|$)/;
const npmScripts = (
  JSON.parse(readFileSync(path.join(workspace, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  }
).scripts;

/** The simple commands of a `run:` script, continued lines joined, npm scripts expanded. */
function commandsOf(script: string): string[] {
  return script
    .replace(/\\\n/g, ' ')
    .split(/\n|&&|\|\|?|;/)
    .map((command) => command.trim().replace(/\s+/g, ' '))
    .filter((command) => command !== '' && !command.startsWith('#'))
    .flatMap((command) => {
      const npm = NPM_SCRIPT.exec(command);
      const script = npm ? npmScripts[npm[1] ?? npm[2]] : undefined;
      return script ? commandsOf(script) : [command];
    });
}

/** Every nx command a workflow's `run:` steps run, with the environment of its step. */
function nxCommandsOf(workflow: Workflow): { command: string; env: Env }[] {
  return Object.values(workflow.jobs).flatMap((job) =>
    (job.steps ?? []).flatMap((step) =>
      commandsOf(step.run ?? '')
        .filter((command) => RUNS_NX.test(command))
        .map((command) => ({ command, env: { ...workflow.env, ...job.env, ...step.env } })),
    ),
  );
}

const listed: readonly string[] = Object.values(CI_COMMANDS);
const unlistedNxCommands = (workflows: Workflow[]) =>
  workflows
    .flatMap(nxCommandsOf)
    .flatMap(({ command }) => (listed.includes(command) ? [] : [command]));

/** A value as Actions hands it to a step: `${{ vars.NAME }}` is the variable, '' when unset. */
function evaluate(value: unknown, vars: Record<string, string>): string {
  const text = String(value);
  const variable = /^\$\{\{\s*vars\.(\w+)\s*\}\}$/.exec(text);
  if (variable) return vars[variable[1]] ?? '';
  if (text.includes('${{')) throw new Error(`this spec cannot evaluate ${text}`);
  return text;
}

/** What a developer's shell may hold and a fresh runner does not. */
const notOnARunner: NodeJS.ProcessEnv = Object.fromEntries(
  Object.keys(process.env)
    .filter((name) => /^(NX_|DEPLOY_|AWS_)/.test(name))
    .map((name) => [name, undefined]),
);

/**
 * Runs `command` in `dir` as `file` runs it: the same words, with the environment of the
 * workflow, job and step (`vars` for its variables) and what earlier steps exported.
 */
function runAsWorkflow(
  dir: string,
  file: WorkflowFile,
  command: CiCommand,
  { vars = {}, exported = {} }: { vars?: Record<string, string>; exported?: NodeJS.ProcessEnv },
): string {
  const step = nxCommandsOf(readWorkflow(file)).find((found) => found.command === command);
  if (!step) throw new Error(`${file} does not run ${command}`);
  const env = Object.fromEntries(
    Object.entries(step.env).map(([name, value]) => [name, evaluate(value, vars)]),
  );
  const [program, ...args] = command.split(' ');
  return run(dir, program, args, { ...notOnARunner, ...env, ...exported });
}

/** The tasks an Nx run names in its `nx run project:target` lines, sorted. */
const tasksRun = (output: string) =>
  [
    ...new Set(
      [...stripVTControlCharacters(output).matchAll(/nx run (\S+:\S+)/g)].map(([, task]) => task),
    ),
  ].sort();

const readManifest = (dir: string) =>
  JSON.parse(readFileSync(path.join(dir, 'dist/lambda/manifest.json'), 'utf8')) as Manifest;

const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The validator's exit status and what it printed about the file. */
function validate(file: string) {
  const result = spawnSync(VALIDATOR, [file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

/** An `aws` that records its arguments and finds no object in S3, so each zip is uploaded. */
function installFakeAws(dir: string): { binDir: string; calls: () => string[][] } {
  const log = path.join(dir, 'aws-calls.jsonl');
  writeFileSync(
    path.join(dir, 'aws'),
    `#!${process.execPath}
const args = process.argv.slice(2);
require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
if (args[0] === 's3api' && args[1] === 'head-object') process.exit(254);
`,
  );
  chmodSync(path.join(dir, 'aws'), 0o755);
  const calls = () =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
  return { binDir: dir, calls };
}

const temporaryDirs: string[] = [];
const temporaryDir = (prefix: string) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temporaryDirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the GitHub workflows', () => {
  it.each(WORKFLOW_FILES)(
    "%s passes action-validator's check against the workflow schema",
    (file) => {
      // act
      const result = validate(path.join(WORKFLOWS, file));

      // assess
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    },
  );

  it.each(WORKFLOW_FILES)('a copy of %s whose jobs lack runs-on fails that check', (file) => {
    // prepare
    const workflow = readWorkflow(file);
    for (const job of Object.values(workflow.jobs)) delete job['runs-on'];
    const copy = path.join(temporaryDir('gallery-workflow-'), file);
    writeFileSync(copy, stringify(workflow));

    // act
    const result = validate(copy);

    // assess
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('runs-on');
  });

  it('run only nx commands that the specs here run, and each of those', () => {
    // act
    const workflows = WORKFLOW_FILES.map(readWorkflow);

    // assess
    expect(unlistedNxCommands(workflows)).toEqual([]);
    const run = workflows.flatMap(nxCommandsOf).map(({ command }) => command);
    expect([...new Set(run)].sort()).toEqual([...listed].sort());
  });

  it('would fail that check with an nx command behind an npm script or over continued lines', () => {
    // prepare
    const workflow = parse(
      stringify({
        jobs: {
          main: {
            'runs-on': 'ubuntu-24.04',
            steps: [{ run: 'npm ci\nnpm test' }, { run: 'npx nx affected \\\n  -t build' }],
          },
        },
      }),
    ) as Workflow;

    // act
    const unlisted = unlistedNxCommands([workflow]);

    // assess
    expect(unlisted).toEqual(
      expect.arrayContaining([expect.stringMatching(/^nx /), 'npx nx affected -t build']),
    );
  });
});

describe("the workflows' nx commands, run in a copy of the workspace as their steps run them", () => {
  let dir: string;
  /** NX_BASE and NX_HEAD as nx-set-shas exports them for a push: the commit before and this. */
  let shas: NodeJS.ProcessEnv;

  beforeAll(() => {
    dir = copyWorkspace();
    temporaryDirs.push(dir);
    appendFileSync(path.join(dir, 'apps/infra/src/processors.ts'), '\n// changed\n');
    const git = (...args: string[]) =>
      run(dir, 'git', ['-c', 'user.name=ci', '-c', 'user.email=ci@localhost', ...args]).trim();
    git('commit', '-qam', 'a change confined to infra');
    shas = { NX_BASE: git('rev-parse', 'HEAD~1'), NX_HEAD: git('rev-parse', 'HEAD') };
  });

  it("CI's checks run only infra's lint, typecheck and test after a change confined to infra", () => {
    // act
    const output = runAsWorkflow(dir, 'ci.yml', CI_COMMANDS.affectedChecks, { exported: shas });

    // assess
    expect(tasksRun(output)).toEqual(['infra:lint', 'infra:test', 'infra:typecheck']);
  }, 300_000);

  it("CI's end-to-end step runs nothing after a change confined to infra", () => {
    // act
    const output = runAsWorkflow(dir, 'ci.yml', CI_COMMANDS.affectedE2e, { exported: shas });

    // assess
    expect(tasksRun(output)).toEqual([]);
  }, 300_000);

  it('nx affected:test, the older phrase of nx affected -t test, still runs the same test task', () => {
    // act
    const ciEnv = Object.entries(readWorkflow('ci.yml').env ?? {}).map(([name, value]) => [
      name,
      evaluate(value, {}),
    ]);
    const output = run(dir, 'npx', ['nx', 'affected:test'], {
      ...notOnARunner,
      ...Object.fromEntries(ciEnv),
      ...shas,
    });

    // assess
    expect(tasksRun(output)).toEqual(['infra:test']);
  }, 300_000);

  it("CI's manifest step lists every worker after only one was packaged, and the artifact takes every zip, the layer and the manifest", () => {
    // prepare: what the affected run leaves when a change touched tags-worker alone
    run(dir, 'npx', ['nx', 'run', 'tags-worker:package'], { ...notOnARunner });
    expect(Object.keys(readManifest(dir).functions)).toEqual(['tags-worker']);

    // act
    runAsWorkflow(dir, 'ci.yml', CI_COMMANDS.lambdaManifest, { exported: shas });

    // assess
    const { functions } = readManifest(dir);
    expect(Object.keys(functions).sort()).toEqual(WORKERS);
    for (const { zip, sha256 } of Object.values(functions)) {
      expect(sha256Of(path.join(dir, zip))).toBe(sha256);
    }
    const artifact = String(stepUsing(readWorkflow('ci.yml'), 'actions/upload-artifact').with?.path)
      .split('\n')
      .map((pattern) => pattern.trim())
      .filter((pattern) => pattern !== '');
    expect(globSync(artifact, { cwd: dir }).sort()).toEqual(
      [
        'dist/lambda/layers/sharp.zip',
        'dist/lambda/manifest.json',
        ...WORKERS.map((worker) => `dist/lambda/${worker}.zip`),
      ].sort(),
    );
  }, 300_000);

  it("the deploy step uploads every zip and the layer and deploys the stack with each of its variables' values", () => {
    // prepare
    const vars = {
      AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/gallery-deploy',
      AWS_REGION: 'eu-west-1',
      DEPLOY_STACK_NAME: 'gallery-ci',
      DEPLOY_ARTIFACT_BUCKET: 'gallery-ci-artifacts',
      DEPLOY_API_URL: 'https://gallery.example.com',
      DEPLOY_ALARM_EMAIL: 'ops@example.com',
      DEPLOY_LOG_LEVEL: 'debug',
      DEPLOY_THUMBNAIL_SECRET_PARAMETER: '/gallery-ci/thumbnail-callback-secret',
      DEPLOY_TAGS_SECRET_PARAMETER: '/gallery-ci/tags-callback-secret',
    };
    const aws = installFakeAws(temporaryDir('gallery-fake-aws-'));
    // configure-aws-credentials exports the region it is given.
    const credentials = stepUsing(
      readWorkflow('deploy.yml'),
      'aws-actions/configure-aws-credentials',
    );
    const region = evaluate(credentials.with?.['aws-region'], vars);

    // act
    runAsWorkflow(dir, 'deploy.yml', CI_COMMANDS.deploy, {
      vars,
      exported: {
        PATH: `${aws.binDir}${path.delimiter}${process.env['PATH']}`,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
      },
    });

    // assess
    const { functions, layers } = readManifest(dir);
    const calls = aws.calls();
    const uploads = calls.filter(([service, command]) => service === 's3' && command === 'cp');
    expect(uploads.sort()).toEqual(
      [...Object.values(functions), ...Object.values(layers)]
        .map(({ zip, s3Key }) => [
          's3',
          'cp',
          zip,
          `s3://${vars.DEPLOY_ARTIFACT_BUCKET}/${s3Key}`,
          '--region',
          vars.AWS_REGION,
        ])
        .sort(),
    );
    const deploy = calls.find(
      ([service, command]) => service === 'cloudformation' && command === 'deploy',
    );
    expect(deploy).toBeDefined();
    const option = (name: string) => deploy?.[deploy.indexOf(name) + 1];
    expect(option('--stack-name')).toBe('gallery-ci');
    expect(option('--region')).toBe(vars.AWS_REGION);
    const overrides = deploy?.slice(
      deploy.indexOf('--parameter-overrides') + 1,
      deploy.indexOf('--region'),
    );
    expect(Object.fromEntries((overrides ?? []).map((pair) => pair.split(/=(.*)/s, 2)))).toEqual({
      ArtifactBucket: vars.DEPLOY_ARTIFACT_BUCKET,
      ApiUrl: vars.DEPLOY_API_URL,
      AlarmEmail: vars.DEPLOY_ALARM_EMAIL,
      LogLevel: vars.DEPLOY_LOG_LEVEL,
      SharpLayerCodeKey: layers['sharp'].s3Key,
      // Each processor's code key and secret parameter (the template's default unless the
      // workflow passes its variable), and its own variables at their defaults.
      ...Object.fromEntries(
        (CATALOG as readonly ProcessorEntry[]).flatMap((entry) => [
          [processorIds(entry).codeKey, functions[entry.project].s3Key],
          [processorIds(entry).secretParameter, `/gallery/${entry.name}-callback-secret`],
          ...(entry.lambda.variables ?? []).map(({ parameter, default: value }) => [
            parameter,
            value,
          ]),
        ]),
      ),
      ThumbnailCallbackSecretParameter: vars.DEPLOY_THUMBNAIL_SECRET_PARAMETER,
      TagsCallbackSecretParameter: vars.DEPLOY_TAGS_SECRET_PARAMETER,
    });
  }, 300_000);
});
