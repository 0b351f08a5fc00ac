import { addressOf, viewOf } from './address';

describe('the page address', () => {
  const album = '0b6f3c2e-1d4a-4c1e-9f0a-2b3c4d5e6f70';

  it('reads the tag, the order, the search and the album', () => {
    expect(viewOf(`/albums/${album}`, '?q=cafe%20lait&tag=a%26b&order=taken')).toEqual({
      tag: 'a&b',
      order: 'taken',
      q: 'cafe lait',
      album,
    });
    expect(viewOf('/', '')).toEqual({ tag: null, order: 'uploaded', q: '', album: null });
    expect(viewOf('/albums/not-an-id', '?tag=%20%20&q=%20')).toMatchObject({
      tag: null,
      q: '',
      album: null,
    });
  });

  it('writes a view back, leaving the defaults out, so that it reads the same', () => {
    const view = { tag: 'cat', order: 'taken' as const, q: 'grandma québec', album };

    const address = addressOf(view);
    const url = new URL(address, 'http://gallery.test');

    expect(viewOf(url.pathname, url.search)).toEqual(view);
    expect(addressOf({ tag: null, order: 'uploaded', q: '', album: null })).toBe('/');
  });
});
