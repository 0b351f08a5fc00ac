// `npm run bench`: every benchmark section in one run, printed as a table and written to
// dist/bench/bench.json. Usage: npm run bench [-- --only thumbnails,api] [--quick]
// Sections run one after another, nothing else of the benchmark's own running beside them;
// a later section may use an earlier one's figures (the burst is compared with section 1).
const path = require('node:path');
const { parseArgs } = require('node:util');
const { printTable, writeJson } = require('./lib/report.cjs');

const SECTIONS = ['thumbnails', 'end-to-end', 'api', 'lambda', 'nx'];
const OUTPUT = path.resolve(__dirname, '../../dist/bench/bench.json');

async function main() {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, quick: { type: 'boolean', default: false } },
  });
  const wanted = values.only ? values.only.split(',') : SECTIONS;
  const unknown = wanted.filter((name) => !SECTIONS.includes(name));
  if (unknown.length > 0) throw new Error(`unknown section(s): ${unknown.join(', ')}`);
  const results = {};
  const sections = [];
  for (const name of SECTIONS.filter((section) => wanted.includes(section))) {
    process.stderr.write(`bench: ${name}…\n`);
    const { run } = require(`./sections/${name}.cjs`);
    const section = await run({
      quick: values.quick,
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
