// One shape for every benchmark's results, printed as a table and written as JSON.
//
// A section is { name, rows: [{ metric, value, unit, spread?, target?, met? }], notes?: [] }:
// `value` is the median (or the single figure), `spread` a short text such as "min 0.91,
// max 0.97, n 5", `target` the goal as text (e.g. "≥ 0.9"), `met` true/false when there is one.

const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const os = require('node:os');

const format = (value) =>
  typeof value === 'number'
    ? Math.abs(value) >= 100
      ? value.toFixed(0)
      : value.toPrecision(3)
    : String(value);

function spreadText({ min, max, n }) {
  return `min ${format(min)}, max ${format(max)}, n ${n}`;
}

function printTable(sections, out = process.stdout) {
  const lines = [];
  for (const section of sections) {
    lines.push('', section.name);
    for (const row of section.rows) {
      const verdict =
        row.target === undefined ? '' : `${row.target}  ${row.met ? 'met' : 'NOT MET'}`;
      lines.push(
        `  ${row.metric.padEnd(72)} ${`${format(row.value)} ${row.unit ?? ''}`.padEnd(18)} ${(row.spread ?? '').padEnd(30)} ${verdict}`,
      );
    }
    for (const note of section.notes ?? []) lines.push(`  note: ${note}`);
  }
  out.write(`${lines.join('\n')}\n`);
}

function machine() {
  return {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg()[0],
  };
}

function writeJson(file, sections, extra = {}) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    `${JSON.stringify({ at: new Date().toISOString(), machine: machine(), ...extra, sections }, null, 2)}\n`,
  );
}

module.exports = { printTable, writeJson, spreadText, machine };
