import type { ImageView } from '@gallery/message-schema';
import { h } from '../dom';
import { placeholderUrl } from '../placeholder';
import { chooseThumbnails, srcsetOf } from '../thumbnails';

/**
 * The picture of an image: its thumbnail once one exists (the thumbhash painted behind it
 * while it loads), else the thumbhash placeholder, else a neutral box.
 */
export function renderImageMedia(
  image: ImageView,
  { size, sizes, lazy }: { size: 'grid' | 'preview'; sizes?: string; lazy: boolean },
): HTMLElement {
  const thumbnails = chooseThumbnails(image);
  const placeholder = placeholderUrl(image.placeholder);
  if (thumbnails) {
    const chosen = thumbnails[size];
    const img = h('img', {
      class: 'media',
      'data-testid': size === 'grid' ? 'image-thumbnail' : 'preview-image',
      // Before src: some browsers start fetching as soon as src is set.
      loading: lazy ? 'lazy' : null,
      src: chosen.url,
      srcset: size === 'grid' ? srcsetOf(thumbnails.all) : null,
      sizes: size === 'grid' ? sizes : null,
      width: chosen.width,
      height: chosen.height,
      alt: image.name,
      decoding: 'async',
    });
    // A CSSOM property (not a style attribute), so a strict style-src CSP allows it.
    if (placeholder) img.style.backgroundImage = `url("${placeholder}")`;
    return img;
  }
  if (placeholder) {
    return h('img', {
      class: 'media placeholder',
      'data-testid': size === 'grid' ? 'image-placeholder' : 'preview-placeholder',
      src: placeholder,
      alt: '',
      width: image.width,
      height: image.height,
    });
  }
  return h('div', {
    class: 'media placeholder empty',
    'data-testid': size === 'grid' ? 'image-placeholder' : 'preview-placeholder',
    'aria-hidden': 'true',
  });
}
