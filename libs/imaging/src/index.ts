export { InvalidImageError } from './errors';
export { asInvalidImage, openImage } from './open-image';
export { MAX_INPUT_PIXELS } from './limits';
export type { OpenedImage, SharpLib } from './open-image';
export { configureSharp } from './sharp-setup';
