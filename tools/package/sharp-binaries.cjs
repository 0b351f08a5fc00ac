// sharp is the one module left outside the bundles: it loads native binaries, which must be
// Linux x64 (glibc) ones for Lambda whatever machine packages them. They go into the sharp
// layer (package-layer.cjs), not into any function's zip.
const { execFileSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

/**
 * The sharp version the workspace pins in its root package.json.
 * @param {string} workspaceRoot
 */
function pinnedSharpVersion(workspaceRoot) {
  const manifest = JSON.parse(readFileSync(path.join(workspaceRoot, 'package.json'), 'utf8'));
  const version = manifest.dependencies?.sharp;
  if (!/^\d+\.\d+\.\d+$/.test(version ?? '')) {
    throw new Error(
      `sharp must be pinned to an exact version in package.json's dependencies, found ${version}`,
    );
  }
  return version;
}

/** npm's own settings passed down by `npm run` or npx (a prefix among them) stay with it. */
function withoutNpmSettings(env) {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

/**
 * Installs sharp `version` with its linux-x64 glibc binaries into `dir/node_modules`. `dir`
 * gets a package.json of its own first, so that npm never climbs up to another project.
 * @param {string} dir a staging directory outside the workspace
 * @param {string} version
 */
function installSharp(dir, version) {
  const manifest = path.join(dir, 'package.json');
  writeFileSync(manifest, '{ "private": true }\n');
  execFileSync(
    'npm',
    [
      'install',
      '--omit=dev',
      '--os=linux',
      '--cpu=x64',
      '--libc=glibc',
      '--ignore-scripts',
      '--no-package-lock',
      '--no-save',
      `sharp@${version}`,
    ],
    { cwd: dir, env: withoutNpmSettings(process.env), stdio: ['ignore', 'ignore', 'inherit'] },
  );
  // npm's bookkeeping and command links are not code the function runs.
  rmSync(manifest);
  rmSync(path.join(dir, 'node_modules', '.package-lock.json'), { force: true });
  rmSync(path.join(dir, 'node_modules', '.bin'), { recursive: true, force: true });

  const installed = path.join(dir, 'node_modules', 'sharp', 'package.json');
  const installedVersion = existsSync(installed)
    ? JSON.parse(readFileSync(installed, 'utf8')).version
    : undefined;
  if (installedVersion !== version) {
    throw new Error(`npm installed sharp ${installedVersion ?? 'nowhere'}, not ${version}`);
  }
  if (!existsSync(path.join(dir, 'node_modules', '@img', 'sharp-linux-x64'))) {
    throw new Error(`npm installed no linux-x64 binaries for sharp ${version}`);
  }
}

module.exports = { installSharp, pinnedSharpVersion };
