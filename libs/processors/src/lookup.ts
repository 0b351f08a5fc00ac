import { CATALOG, type ProcessorEntry, type ProcessorName } from './catalog';

const NAME = /^[a-z][a-z0-9-]*$/;

/** The catalog entry of a processor. */
export function processorNamed(name: ProcessorName): ProcessorEntry {
  const entry = CATALOG.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no processor named ${name}`);
  return entry;
}

/**
 * What makes a catalog unusable: a name, queue, project or route that is malformed or used
 * twice, Lambda settings out of AWS's bounds. Empty when it is sound.
 */
export function catalogProblems(catalog: readonly ProcessorEntry[] = CATALOG): string[] {
  const problems: string[] = [];
  for (const field of ['name', 'queue', 'project', 'route'] as const) {
    const seen = new Set<string>();
    for (const entry of catalog) {
      const value = entry[field];
      if (!NAME.test(value)) problems.push(`${entry.name}: ${field} "${value}" is not a-z0-9-`);
      if (seen.has(value)) problems.push(`${entry.name}: ${field} "${value}" is used twice`);
      seen.add(value);
    }
  }
  for (const { name, lambda } of catalog) {
    const within = (label: string, value: number, min: number, max: number) => {
      if (!Number.isInteger(value) || value < min || value > max) {
        problems.push(`${name}: ${label} ${value} is not an integer from ${min} to ${max}`);
      }
    };
    within('memoryMb', lambda.memoryMb, 128, 10240);
    within('timeoutSeconds', lambda.timeoutSeconds, 1, 900);
    within('batchSize', lambda.batchSize, 1, 10);
    within('batchingWindowSeconds', lambda.batchingWindowSeconds, 0, 300);
    within('maximumConcurrency', lambda.maximumConcurrency, 2, 1000);
    for (const prefix of lambda.writesPrefixes) {
      if (prefix === 'originals') problems.push(`${name}: no worker writes originals`);
    }
  }
  return problems;
}

/** One value per processor, in catalog order. */
export function perProcessor<T>(value: (name: ProcessorName) => T): Record<ProcessorName, T> {
  return Object.fromEntries(CATALOG.map(({ name }) => [name, value(name)])) as Record<
    ProcessorName,
    T
  >;
}
