// Unpacked Lambda packages laid out as the Node.js runtime (nodejs24.x) runs them, to run them
// here: each layer unzipped into one directory standing for /opt (in order, so that a later
// layer's file wins, as in Lambda), each function's zip into a directory of its own standing for
// /var/task, and NODE_PATH exactly as the runtime's bootstrap sets it when the function sets
// none, each Lambda directory replaced by its stand-in:
//   /opt/nodejs/node24/node_modules:/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task
// In Lambda /var/runtime holds the runtime's own code and modules; here it is an empty
// directory, so a package finds nothing there that it would not find in Lambda. The bundles'
// require("sharp") resolves through NODE_PATH to the sharp layer's nodejs/node_modules/sharp.
const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

/** The runtime's major version, in its layer path /opt/nodejs/node24/node_modules. */
const NODE_MAJOR = 24;

/**
 * NODE_PATH as nodejs24.x sets it, with `opt`, `runtime` and `task` in place of /opt,
 * /var/runtime and /var/task.
 * @param {{ opt: string, runtime: string, task: string }} dirs
 */
const lambdaNodePath = ({ opt, runtime, task }) =>
  [
    path.join(opt, `nodejs/node${NODE_MAJOR}/node_modules`),
    path.join(opt, 'nodejs/node_modules'),
    path.join(runtime, 'node_modules'),
    runtime,
    task,
  ].join(path.delimiter);

/**
 * A fresh directory with /opt assembled from `layers` (zip paths); `remove()` deletes it all.
 * @param {{ layers?: string[], prefix?: string }} [options]
 */
function lambdaRuntime({ layers = [], prefix = 'gallery-lambda-' } = {}) {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const opt = path.join(root, 'opt');
  const runtime = path.join(root, 'runtime');
  for (const dir of [opt, runtime, path.join(root, 'task')]) mkdirSync(dir);
  try {
    for (const zip of layers) execFileSync('unzip', ['-q', '-o', zip, '-d', opt]);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
  /** An empty directory standing for one function's /var/task. */
  const taskDir = (name) => mkdtempSync(path.join(root, 'task', `${name}-`));
  return {
    root,
    opt,
    taskDir,
    /** `zip` unpacked into a fresh directory, as Lambda does into /var/task. */
    unpack(zip, name) {
      const task = taskDir(name);
      execFileSync('unzip', ['-q', zip, '-d', task]);
      return task;
    },
    /** The variables the runtime sets for the function in `task` that find its modules. */
    env: (task) => ({ NODE_PATH: lambdaNodePath({ opt, runtime, task }) }),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

module.exports = { lambdaNodePath, lambdaRuntime };
