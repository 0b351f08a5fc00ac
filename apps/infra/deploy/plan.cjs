// The commands a deployment runs, as argument arrays: built here, run or printed by deploy.cjs.
const { readFileSync } = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { DeployError } = require('./errors.cjs');
const { flagFor } = require('./options.cjs');

/**
 * @typedef {object} Upload
 * @property {string} name the function or layer, as messages name it
 * @property {string[]} check succeeds when the zip is already in the bucket
 * @property {string[]} upload run only when `check` fails
 */

/**
 * @typedef {object} DeploymentPlan
 * @property {Upload[]} uploads
 * @property {string[]} deploy
 */

/**
 * Each template parameter with its default and constraints. Only the Parameters section is
 * read, so the intrinsic-function tags elsewhere may stay unresolved.
 * @param {string} templatePath
 * @returns {Record<string, { Default?: unknown, AllowedPattern?: string, AllowedValues?: unknown[] }>}
 */
function readTemplateParameters(templatePath) {
  const template = YAML.parse(readFileSync(templatePath, 'utf8'), { logLevel: 'silent' });
  return template?.Parameters ?? {};
}

/**
 * @param {object} input
 * @param {import('./options.cjs').DeployOptions} input.options
 * @param {import('./manifest.cjs').Manifest} input.manifest the functions' and layers' zips
 * @param {string} input.templatePath
 * @param {string} input.cwd paths inside it are shown relative to it
 * @returns {DeploymentPlan}
 */
function planDeployment({ options, manifest, templatePath, cwd }) {
  const declared = readTemplateParameters(templatePath);
  /** @type {Record<string, string>} */
  const values = {};
  // Functions first: a failed upload names the first worker whose zip the bucket lacks.
  const packaged = [...manifest.functions, ...manifest.layers];

  for (const { parameter, label, s3Key } of packaged) {
    if (!(parameter in declared)) {
      throw new DeployError(`the template has no parameter ${parameter} for ${label}`);
    }
    values[parameter] = s3Key;
  }
  for (const name of Object.keys(options.parameters)) {
    if (!(name in declared)) throw new DeployError(`the template has no parameter ${name}`);
  }
  for (const [name, { Default, AllowedPattern, AllowedValues }] of Object.entries(declared)) {
    if (values[name] === undefined) {
      if (options.parameters[name] !== undefined) values[name] = options.parameters[name];
      else if (Default !== undefined) values[name] = String(Default);
      else if (name.endsWith('LayerCodeKey')) {
        throw new DeployError(
          `no layer in the manifest for ${name}: run \`npx nx run tools:lambda-manifest\``,
        );
      } else if (name.endsWith('CodeKey')) {
        throw new DeployError(`no function in the manifest for ${name}: package every worker`);
      } else throw new DeployError(`${name} has no value: pass ${flagFor(name)}`);
    }
    // Caught here rather than by CloudFormation after the uploads.
    if (AllowedPattern !== undefined && !new RegExp(AllowedPattern).test(values[name])) {
      throw new DeployError(
        `${name} ${JSON.stringify(values[name])} does not match ${AllowedPattern}`,
      );
    }
    if (AllowedValues !== undefined && !AllowedValues.map(String).includes(values[name])) {
      throw new DeployError(`${name} must be one of ${AllowedValues.join(', ')}`);
    }
  }

  const bucket = values['ArtifactBucket'];
  const region = options.region ? ['--region', options.region] : [];
  /** @param {string} file */
  const shown = (file) => {
    const relative = path.relative(cwd, file);
    return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  };

  const uploads = packaged.map(({ label, zipPath, s3Key }) => ({
    name: label,
    check: ['aws', 's3api', 'head-object', '--bucket', bucket, '--key', s3Key, ...region],
    upload: ['aws', 's3', 'cp', shown(zipPath), `s3://${bucket}/${s3Key}`, ...region],
  }));
  const deploy = [
    'aws',
    'cloudformation',
    'deploy',
    '--template-file',
    shown(templatePath),
    '--stack-name',
    options.stackName,
    '--capabilities',
    'CAPABILITY_IAM',
    // The template goes through the bucket too, so it may grow past the 51,200-byte inline limit.
    '--s3-bucket',
    bucket,
    '--s3-prefix',
    `cloudformation/${options.stackName}`,
    '--no-fail-on-empty-changeset',
    '--parameter-overrides',
    ...Object.keys(declared).map((name) => `${name}=${values[name]}`),
    ...region,
  ];
  return { uploads, deploy };
}

/**
 * A command as one line a POSIX shell runs as is.
 * @param {string[]} args
 */
function shellLine(args) {
  return args
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`))
    .join(' ');
}

module.exports = { planDeployment, shellLine };
