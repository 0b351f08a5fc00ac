// The deploy script's options, from its flags, else from the environment.
const path = require('node:path');
const { DeployError } = require('./errors.cjs');
// TypeScript with types only, which Node.js strips as it loads them.
/** @type {{ CATALOG: readonly import('@gallery/processors').ProcessorEntry[] }} */
const { CATALOG } = require(path.join(__dirname, '../../../libs/processors/src/catalog.ts'));
const { processorIds } = require(
  path.join(__dirname, '../../../libs/stack-template/src/processor-resources.ts'),
);

/**
 * Each flag, the variable it falls back to, and the template parameter it sets (if any).
 * @type {Record<string, { env?: string[], parameter?: string, about: string }>}
 */
const FLAGS = {
  'stack-name': { env: ['DEPLOY_STACK_NAME'], about: 'stack name (default gallery)' },
  'artifact-bucket': {
    env: ['DEPLOY_ARTIFACT_BUCKET'],
    parameter: 'ArtifactBucket',
    about: 'bucket the zips are uploaded to, in the stack’s region (required)',
  },
  'api-url': {
    env: ['DEPLOY_API_URL'],
    parameter: 'ApiUrl',
    about: 'https:// base URL the workers call back (required)',
  },
  // One per processor of the catalog, e.g. --thumbnail-secret-parameter.
  ...Object.fromEntries(
    CATALOG.map((entry) => [
      `${entry.name}-secret-parameter`,
      {
        env: [`DEPLOY_${entry.name.toUpperCase().replaceAll('-', '_')}_SECRET_PARAMETER`],
        parameter: processorIds(entry).secretParameter,
        about: `SSM SecureString name of the ${entry.name} worker’s callback secret`,
      },
    ]),
  ),
  'log-level': { env: ['DEPLOY_LOG_LEVEL'], parameter: 'LogLevel', about: 'workers’ log level' },
  'alarm-email': {
    env: ['DEPLOY_ALARM_EMAIL'],
    parameter: 'AlarmEmail',
    about: 'address the alarms mail to',
  },
  region: { env: ['AWS_REGION', 'AWS_DEFAULT_REGION'], about: 'AWS region (default: the CLI’s)' },
  manifest: { about: 'Lambda manifest (default dist/lambda/manifest.json)' },
  template: { about: 'CloudFormation template (default apps/infra/template.yaml)' },
  parameter: { about: 'Name=Value for any other template parameter (repeatable)' },
};

const USAGE = [
  'Usage: nx deploy infra -- [--dry-run] --artifact-bucket <bucket> --api-url <url> [options]',
  '',
  'Uploads each zip of the Lambda manifest that the artifact bucket lacks, then runs',
  '`aws cloudformation deploy` with every template parameter. --dry-run prints the commands.',
  'A parameter without a flag takes the template’s default, not the stack’s previous value.',
  '',
  ...Object.entries(FLAGS).map(
    ([flag, { env, about }]) =>
      `  --${flag.padEnd(28)} ${about}${env ? ` [${env.join(', ')}]` : ''}`,
  ),
  `  --${'dry-run'.padEnd(28)} print the commands instead of running them`,
].join('\n');

/**
 * @typedef {object} DeployOptions
 * @property {boolean} help
 * @property {boolean} dryRun
 * @property {string} stackName
 * @property {string | undefined} region
 * @property {string | undefined} manifest
 * @property {string | undefined} template
 * @property {Record<string, string>} parameters template parameters given by flag or variable
 */

/** Queue names are `<stack>-<processor>-dlq` and SQS allows 80 characters. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,59}$/;

/**
 * Reads `--flag value` and `--flag=value` (the form Nx forwards), then the environment for
 * what no flag gave.
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @returns {DeployOptions}
 */
function parseDeployOptions(argv, env) {
  /** @type {Record<string, string>} */
  const given = {};
  /** @type {Record<string, string>} */
  const parameters = {};
  let dryRun = false;
  let help = false;

  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    const match = /^--([a-z-]+)(?:=(.*))?$/s.exec(argument);
    if (!match) throw new DeployError(`unexpected argument ${argument}\n\n${USAGE}`);
    const [, flag, inline] = match;
    if (flag === 'dry-run' || flag === 'help') {
      const on = inline === undefined || inline === 'true';
      if (!on && inline !== 'false') throw new DeployError(`--${flag} takes no value`);
      if (flag === 'dry-run') dryRun = on;
      else help = on;
      continue;
    }
    if (!(flag in FLAGS)) throw new DeployError(`unknown option --${flag}\n\n${USAGE}`);
    let value = inline;
    if (value === undefined) {
      index += 1;
      value = argv[index];
      if (value === undefined) throw new DeployError(`--${flag} needs a value`);
    }
    if (flag === 'parameter') {
      const assignment = /^([A-Za-z0-9]+)=(.*)$/s.exec(value);
      if (!assignment) throw new DeployError(`--parameter takes Name=Value, not ${value}`);
      parameters[assignment[1]] = assignment[2];
    } else {
      given[flag] = value;
    }
  }

  /** @param {string} flag */
  const valueOf = (flag) => {
    if (given[flag] !== undefined) return given[flag];
    const variable = (FLAGS[flag].env ?? []).find((name) => (env[name] ?? '') !== '');
    return variable === undefined ? undefined : env[variable];
  };
  for (const [flag, { parameter }] of Object.entries(FLAGS)) {
    const value = valueOf(flag);
    if (parameter !== undefined && value !== undefined) parameters[parameter] = value;
  }

  const stackName = valueOf('stack-name') ?? 'gallery';
  if (!STACK_NAME.test(stackName)) {
    throw new DeployError(
      `--stack-name ${stackName}: letters, digits and hyphens, a letter first, at most 60`,
    );
  }
  return {
    help,
    dryRun,
    stackName,
    region: valueOf('region'),
    manifest: valueOf('manifest'),
    template: valueOf('template'),
    parameters,
  };
}

/**
 * The flag that sets a template parameter, for messages.
 * @param {string} parameter
 */
function flagFor(parameter) {
  const flag = Object.entries(FLAGS).find(([, about]) => about.parameter === parameter);
  return flag ? `--${flag[0]}` : `--parameter ${parameter}=…`;
}

module.exports = { parseDeployOptions, flagFor, USAGE };
