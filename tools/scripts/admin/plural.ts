/** `1 image`, `3 images`: counts as a person would write them. */
export const plural = (count: number, noun: string): string =>
  `${count} ${noun}${count === 1 ? '' : 's'}`;
