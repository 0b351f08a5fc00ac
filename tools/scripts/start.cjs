// `npm start`: the whole Gallery on the embedded defaults, each app its own process.
const path = require('node:path');
const { root, startGallery } = require('./gallery-processes.cjs');

const COLORS = { api: 36, 'thumbnail-worker': 35, 'tags-worker': 33 };

async function main() {
  const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  const prefix = (app, line) => {
    const tag = process.stdout.isTTY
      ? `\x1b[${COLORS[app]}m${app.padEnd(16)}\x1b[0m`
      : app.padEnd(16);
    console.log(`${tag} ${line}`);
  };

  const gallery = await startGallery({ dataDir, port, host, onLine: prefix });
  console.log(`\nGallery is running at ${gallery.baseUrl}  (data in ${dataDir})`);
  console.log(
    process.env.ADMIN_PASSWORD
      ? 'Log in as "admin" with the password in ADMIN_PASSWORD.'
      : 'Log in as "admin": on the first start the api printed a generated password above; ' +
          'set ADMIN_PASSWORD to choose it instead.',
  );
  console.log('Press Ctrl-C to stop.\n');

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping (${signal})…`);
    await gallery.stop('SIGTERM');
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const app of Object.values(gallery.apps)) {
    app.exited.then(([code, signal]) => {
      if (!stopping)
        console.error(`${app.name} exited (${signal ?? code}); the others keep running.`);
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
