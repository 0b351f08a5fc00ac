import type { ListOrder } from './store';
import { normalizeTag } from './tag-filter';

/** What a page address says the list shows: `/albums/<id>?tag=…&q=…&order=taken`. */
export interface AddressView {
  tag: string | null;
  order: ListOrder;
  q: string;
  album: string | null;
}

const ALBUM_PATH = /^\/albums\/([0-9a-f-]{36})\/?$/i;

/** The view a page address names, so that a filtered list, a search or an album can be linked. */
export function viewOf(pathname: string, search: string): AddressView {
  const params = new URLSearchParams(search);
  return {
    tag: normalizeTag(params.get('tag')),
    order: params.get('order') === 'taken' ? 'taken' : 'uploaded',
    q: params.get('q')?.trim() ?? '',
    album: ALBUM_PATH.exec(pathname)?.[1]?.toLowerCase() ?? null,
  };
}

/** The page address of a view; defaults (no tag, no search, the upload order) are left out. */
export function addressOf(view: AddressView): string {
  const params = new URLSearchParams();
  if (view.q !== '') params.set('q', view.q);
  if (view.tag !== null) params.set('tag', view.tag);
  if (view.order !== 'uploaded') params.set('order', view.order);
  const query = params.toString();
  return `${view.album === null ? '/' : `/albums/${view.album}`}${query ? `?${query}` : ''}`;
}
