// `nx deploy infra`: uploads the Lambda zips of dist/lambda/manifest.json, the functions' and
// the sharp layer's, that the artifact bucket lacks (their keys hold their hashes, so a key
// present is that very zip), then deploys apps/infra/template.yaml with every parameter, each
// zip's key among them. `--dry-run` prints the commands instead.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { DeployError } = require('./deploy/errors.cjs');
const { readManifest } = require('./deploy/manifest.cjs');
const { parseDeployOptions, USAGE } = require('./deploy/options.cjs');
const { planDeployment, shellLine } = require('./deploy/plan.cjs');

const workspaceRoot = path.resolve(__dirname, '..', '..');

/**
 * Runs a command; its exit status, or a DeployError when it cannot start.
 * @param {string[]} args
 * @param {'inherit' | 'ignore'} stdio
 */
function run([command, ...args], stdio) {
  const result = spawnSync(command, args, { stdio });
  if (result.error) {
    throw new DeployError(`cannot run ${command}: ${result.error.message}`, {
      cause: result.error,
    });
  }
  return result.status ?? 1;
}

function main() {
  const options = parseDeployOptions(process.argv.slice(2), process.env);
  if (options.help) {
    console.log(USAGE);
    return;
  }
  const cwd = process.cwd();
  const manifestPath = path.resolve(
    cwd,
    options.manifest ?? path.join(workspaceRoot, 'dist/lambda/manifest.json'),
  );
  const templatePath = path.resolve(cwd, options.template ?? path.join(__dirname, 'template.yaml'));
  const manifest = readManifest(manifestPath, workspaceRoot);
  const plan = planDeployment({ options, manifest, templatePath, cwd });

  if (options.dryRun) {
    for (const { name, check, upload } of plan.uploads) {
      console.log(`# ${name}: uploaded only when head-object finds nothing under its key`);
      console.log(shellLine(check));
      console.log(shellLine(upload));
    }
    console.log(shellLine(plan.deploy));
    return;
  }

  for (const { name, check, upload } of plan.uploads) {
    if (run(check, 'ignore') === 0) {
      console.log(`${name}: ${check[check.indexOf('--key') + 1]} is already uploaded`);
      continue;
    }
    console.log(`$ ${shellLine(upload)}`);
    if (run(upload, 'inherit') !== 0) throw new DeployError(`uploading ${name} failed`);
  }
  console.log(`$ ${shellLine(plan.deploy)}`);
  const status = run(plan.deploy, 'inherit');
  if (status !== 0) throw new DeployError(`aws cloudformation deploy failed (exit ${status})`);
}

try {
  main();
} catch (error) {
  if (!(error instanceof DeployError)) throw error;
  console.error(`deploy: ${error.message}`);
  process.exitCode = 2;
}
