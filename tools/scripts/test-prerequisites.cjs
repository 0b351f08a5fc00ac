// `npm test` first: Node.js as .nvmrc asks and the Debian packages the tests use are here,
// or it stops at once with one line naming them. With --packages it only prints the missing
// packages' names, for .ci/run to install: one list of what the tests need.
const { findMissing, missingPrograms, oldNode, postgresServer } = require('./prerequisites.cjs');

const programs = { zip: 'zip', unzip: 'unzip' };
programs[process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'] = 'chromium';
if (!process.env.TEST_DATABASE_URL) Object.assign(programs, postgresServer());
// The metadata worker's reference: what ExifTool reads from a file, the worker must report.
programs.exiftool = 'libimage-exiftool-perl';

if (process.argv.includes('--packages')) {
  console.log(findMissing(programs).packages.join(' '));
} else {
  const missing = oldNode('npm test') ?? missingPrograms('npm test', programs);
  if (missing) {
    console.error(missing);
    process.exit(1);
  }
}
