export { InvalidImageError } from './errors';
export { asInvalidImage, MAX_INPUT_PIXELS, openImage } from './open-image';
export type { OpenedImage, SharpLib } from './open-image';
export { configureSharp } from './sharp-setup';
