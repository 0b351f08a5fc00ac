import { formatBytes, nameFromFileName } from './file-name';

describe('nameFromFileName', () => {
  it.each([
    ['beach.jpg', 'beach'],
    ['my.holiday.photo.png', 'my.holiday.photo'],
    ['.hidden', '.hidden'],
    ['no-extension', 'no-extension'],
    ['C:\\fakepath\\cat.webp', 'cat'],
  ])('names %s as %s', (fileName, name) => {
    expect(nameFromFileName(fileName)).toBe(name);
  });
});

describe('formatBytes', () => {
  it('uses a unit that keeps the number short', () => {
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(12 * 1024 * 1024)).toBe('12 MB');
  });
});
