// `npm run bench`: every benchmark section in one run, printed as a table and written to
// dist/bench/bench.json. Usage: npm run bench [-- --only thumbnails,api] [--quick]
//   [--baseline-node /usr/bin/node]: the Lambda section also measures that Node.js, alternating
// Sections run one after another, nothing else of the benchmark's own running beside them;
// a later section may use an earlier one's figures (the burst is compared with section 1).
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { missingPrograms, oldNode, postgresServer } = require('../scripts/prerequisites.cjs');
const { printTable, writeJson } = require('./lib/report.cjs');

const SECTIONS = ['thumbnails', 'end-to-end', 'api', 'lambda', 'nx', 'live-updates', 'search'];
const workspaceRoot = path.resolve(__dirname, '../..');
const OUTPUT = path.join(workspaceRoot, 'dist/bench/bench.json');
/** Programs from Debian's packages: packaging zips, section 4 unzips, section 1 compares with ImageMagick. */
const PROGRAMS = { zip: 'zip', unzip: 'unzip' };
const SECTION_PROGRAMS = {
  thumbnails: { '/usr/bin/convert': 'imagemagick' },
  'live-updates': postgresServer(),
  search: postgresServer(),
};

/** Why the bench cannot run here, in one line, or null. */
function cannotRun(sections) {
  const programs = Object.assign({}, PROGRAMS, ...sections.map((name) => SECTION_PROGRAMS[name]));
  return oldNode('npm run bench') ?? missingPrograms('npm run bench', programs);
}

/** Every app built and every worker packaged (each project that has the target), as the sections run them. */
function buildEverything() {
  execFileSync('npx', ['nx', 'run-many', '-t', 'build', 'build-local', 'package'], {
    cwd: workspaceRoot,
    env: { ...process.env, NX_TUI: 'false' },
    stdio: ['ignore', 2, 2],
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'baseline-node': { type: 'string' },
    },
  });
  const wanted = values.only ? values.only.split(',') : SECTIONS;
  const unknown = wanted.filter((name) => !SECTIONS.includes(name));
  const problem =
    unknown.length > 0
      ? `unknown section(s): ${unknown.join(', ')}; the sections are ${SECTIONS.join(', ')}`
      : cannotRun(wanted);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  buildEverything();
  const results = {};
  const sections = [];
  for (const name of SECTIONS.filter((section) => wanted.includes(section))) {
    process.stderr.write(`bench: ${name}…\n`);
    const { run } = require(`./sections/${name}.cjs`);
    const section = await run({
      quick: values.quick,
      baselineNode: values['baseline-node'],
      results,
      log: (line) => process.stderr.write(`  ${line}\n`),
    });
    results[name] = section;
    sections.push(section);
    printTable([section]);
  }
  writeJson(OUTPUT, sections, { quick: values.quick });
  process.stdout.write(`\nwritten to ${path.relative(process.cwd(), OUTPUT)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
