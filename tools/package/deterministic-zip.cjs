// The same files make the same zip, byte for byte: its hash then names the code, so that
// CloudFormation updates a function exactly when its code changed, and Nx's cache means it.
const { execFileSync } = require('node:child_process');
const { chmodSync, existsSync, lstatSync, readdirSync, utimesSync } = require('node:fs');
const path = require('node:path');

/** Every entry's time. zip stores local time: it runs with TZ=UTC. */
const FIXED_TIME = new Date('2000-01-01T00:00:00Z');

/**
 * Every file below `dir`, as sorted relative paths with `/` separators. Anything other than a
 * plain file or directory (a symlink, say) is refused: what it points to is not the zip's.
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(dir) {
  const files = [];
  const walk = (relative) => {
    for (const name of readdirSync(path.join(dir, relative))) {
      const entry = relative ? `${relative}/${name}` : name;
      const stats = lstatSync(path.join(dir, entry));
      if (stats.isDirectory()) walk(entry);
      else if (stats.isFile()) files.push(entry);
      else throw new Error(`${entry} is neither a file nor a directory`);
    }
  };
  walk('');
  return files.sort();
}

/**
 * Zips `entries` (paths relative to `dir`) into a new `zipPath` in the given order, with fixed
 * times and permissions and no extra attributes (owner, extended times) or directory entries.
 * @param {string} dir
 * @param {string[]} entries
 * @param {string} zipPath must not exist yet: zip would add to it
 */
function zipFiles(dir, entries, zipPath) {
  if (existsSync(zipPath)) throw new Error(`${zipPath} exists already`);
  for (const entry of entries) {
    const file = path.join(dir, entry);
    chmodSync(file, 0o644);
    utimesSync(file, FIXED_TIME, FIXED_TIME);
  }
  execFileSync('zip', ['-X', '-D', '-q', '-6', zipPath, '-@'], {
    cwd: dir,
    input: `${entries.join('\n')}\n`,
    env: { ...process.env, TZ: 'UTC' },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
}

module.exports = { listFiles, zipFiles };
