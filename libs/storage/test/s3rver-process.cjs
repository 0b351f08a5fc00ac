// Runs s3rver in its own Node.js process, started by start-s3rver.ts with
// --openssl-legacy-provider: s3rver's continuation tokens use DES, which OpenSSL 3 only
// offers through its legacy provider, so listings over 1,000 keys need it.
// Usage: node --openssl-legacy-provider s3rver-process.cjs <directory> <bucket>
// Prints `{"port":<n>}` once listening; stops on SIGTERM.
const S3rver = require('s3rver');

const [directory, bucket] = process.argv.slice(2);

/**
 * s3rver lists keys in the order it walks its folders, so the folder `a/` comes before the
 * key `a-c`; S3 lists in byte order of the whole key. Sorting each page restores S3's order
 * within a page. Keys of one folder are walked in byte order already, so pages over one
 * folder (as the pagination test makes) follow each other in S3's order too.
 */
function listInKeyOrder(server) {
  const store = server.store;
  const listObjects = store.listObjects.bind(store);
  store.listObjects = async (...args) => {
    const page = await listObjects(...args);
    page.objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return page;
  };
}

async function main() {
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  listInKeyOrder(server);
  const { port } = await server.run();
  process.stdout.write(`${JSON.stringify({ port })}\n`);
  process.once('SIGTERM', () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exit(1);
});
