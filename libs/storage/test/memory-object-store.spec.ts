import { randomUUID } from 'node:crypto';
import { originalKey } from '../src';
import { createMemoryObjectStore } from '../src/testing';
import { describeObjectStoreContract } from './object-store.contract';
import { readAll } from './streams';

// The fake the workers' specs use keeps the port's promises, so their tests mean something.
describeObjectStoreContract('memory store', () => createMemoryObjectStore());

describe('memory store', () => {
  it('records the keys read with get, not those only described', async () => {
    // prepare
    const store = createMemoryObjectStore();
    const [read, described] = [originalKey(randomUUID()), originalKey(randomUUID())];
    await store.put(read, Buffer.from('a'), { contentType: 'image/png' });
    await store.put(described, Buffer.from('b'), { contentType: 'image/png' });

    // act
    await readAll((await store.get(read)).body);
    await store.head(described);

    // assess
    expect(store.reads).toEqual([read]);
  });

  it('shows its objects by key, as stored', async () => {
    // prepare
    const store = createMemoryObjectStore('photos');
    const key = originalKey(randomUUID());

    // act
    await store.put(key, Buffer.from('bytes'), { contentType: 'image/webp' });

    // assess
    expect(store.bucket).toBe('photos');
    expect(store.objects.get(key)).toMatchObject({
      data: Buffer.from('bytes'),
      contentType: 'image/webp',
    });
  });
});
