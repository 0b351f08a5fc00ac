/** The name an upload starts with: the file's name without its extension. */
export function nameFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const name = dot > 0 ? base.slice(0, dot) : base;
  return name.trim() || base.trim();
}

const UNITS = ['bytes', 'KB', 'MB', 'GB'];

export function formatBytes(size: number): string {
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0
    ? `${value} ${UNITS[0]}`
    : `${value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}
