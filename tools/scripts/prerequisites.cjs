// Commands check what they need first (the Node.js of .nvmrc, programs from Debian's packages),
// so a machine without it gets one line naming what to install, not a spawn error and a stack.
const { accessSync, constants, existsSync, readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

const workspaceRoot = path.resolve(__dirname, '../..');

/** The one line to print when this Node.js is older than .nvmrc asks, or null. */
function oldNode(command) {
  const wanted = Number(readFileSync(path.join(workspaceRoot, '.nvmrc'), 'utf8').trim());
  const running = Number(process.versions.node.split('.')[0]);
  return running < wanted
    ? `${command} needs Node.js ${wanted} (.nvmrc), not ${process.version}`
    : null;
}

const isExecutable = (file) => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

const onPath = (program) =>
  program.includes('/')
    ? isExecutable(program)
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .some((dir) => isExecutable(path.join(dir, program)));

/**
 * Which of `programs` (program name or path → its Debian package) are missing, and the
 * packages that bring them.
 * @param {Record<string, string>} programs
 */
function findMissing(programs) {
  const missing = Object.keys(programs).filter((program) => !onPath(program));
  return { missing, packages: [...new Set(missing.map((program) => programs[program]))] };
}

/**
 * The one line to print when some of `programs` are missing, or null when all are there.
 * @param {string} command what needs them, e.g. "npm run bench"
 * @param {Record<string, string>} programs
 */
function missingPrograms(command, programs) {
  const { missing, packages } = findMissing(programs);
  if (missing.length === 0) return null;
  return `${command} needs ${missing.join(', ')}: apt-get install ${packages.join(' ')}`;
}

/** Debian's PostgreSQL server (any version), as a program to look for and its package. */
function postgresServer() {
  const initdb = (version) => `/usr/lib/postgresql/${version}/bin/initdb`;
  const found = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').map(initdb).find(existsSync)
    : undefined;
  return { [found ?? initdb('*')]: 'postgresql' };
}

module.exports = { findMissing, missingPrograms, oldNode, postgresServer };
