import { Readable } from 'node:stream';
import { readAll } from './read-all';

describe('readAll', () => {
  it('joins every chunk of a stream into one buffer, in order', async () => {
    const stream = Readable.from([Buffer.from('ab'), Buffer.from('cd'), Buffer.from('e')]);

    expect((await readAll(stream)).toString()).toBe('abcde');
  });

  it('rejects with the stream’s own error', async () => {
    const stream = new Readable({
      read() {
        this.destroy(new Error('connection reset'));
      },
    });

    await expect(readAll(stream)).rejects.toThrow('connection reset');
  });
});
