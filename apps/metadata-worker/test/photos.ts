import path from 'node:path';

/** A real photo of people, shipped inside an installed package (Human's sample sheet). */
export function realPhoto(): string {
  return path.join(
    path.dirname(require.resolve('@vladmandic/human')),
    '..',
    'assets',
    'samples.jpg',
  );
}
