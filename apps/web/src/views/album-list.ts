import type { AlbumView } from '@gallery/message-schema';
import { h, onPlainClick } from '../dom';

/** The side list: the whole gallery, then every album with its count; the current one marked. */
export function createAlbumList({
  onShow,
  onCreate,
}: {
  /** null: the whole gallery. */
  onShow: (album: string | null) => void;
  onCreate: () => void;
}) {
  const list = h('ul', { class: 'album-list', 'data-testid': 'album-list' });
  const create = h('button', { type: 'button', 'data-testid': 'album-create' }, 'New album');
  create.addEventListener('click', onCreate);
  const element = h(
    'nav',
    { class: 'side', 'aria-label': 'Albums' },
    h('h2', {}, 'Albums'),
    list,
    create,
  );

  const link = (
    href: string,
    album: string | null,
    current: boolean,
    ...label: (Node | string)[]
  ) => {
    const anchor = h(
      'a',
      {
        href,
        'aria-current': current ? 'page' : null,
        'data-testid': album ? 'album-link' : 'all-link',
      },
      ...label,
    );
    onPlainClick(anchor, () => onShow(album));
    return h('li', {}, anchor);
  };

  return {
    element,
    render(albums: readonly AlbumView[], current: string | null): void {
      list.replaceChildren(
        link('/', null, current === null, 'All photos'),
        ...albums.map((album) =>
          link(
            `/albums/${album.id}`,
            album.id,
            album.id === current,
            album.cover?.thumbnailUrl
              ? h('img', {
                  class: 'album-cover',
                  src: album.cover.thumbnailUrl,
                  alt: '',
                  'data-testid': 'album-cover',
                })
              : h('span', { class: 'album-cover' }),
            h('span', { class: 'album-name' }, album.name),
            h(
              'span',
              { class: 'count', 'aria-label': `${album.imageCount} images` },
              String(album.imageCount),
            ),
          ),
        ),
      );
    },
  };
}
