import type S3rver from 's3rver';

interface ListingStore {
  listObjects(...args: unknown[]): Promise<{ objects: { key: string }[] }>;
}

/**
 * s3rver lists keys in the order it walks its folders, so the folder `a/` comes before the
 * key `a-c`; S3 lists in byte order of the whole key. Sorting each page restores S3's order
 * for listings of one page (up to 1,000 keys), which is all the tests make.
 */
export function listInKeyOrder(server: S3rver): void {
  const store = (server as unknown as { store: ListingStore }).store;
  const listObjects = store.listObjects.bind(store);
  store.listObjects = async (...args) => {
    const page = await listObjects(...args);
    page.objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return page;
  };
}
