import type { ProcessorEntry } from '@gallery/processors';
import { processorOutputs, processorParameters, processorResources } from './processor-resources';

/*
 * template.yaml is written by hand except for three regions, one in Parameters, Resources and
 * Outputs, which hold every processor's part and are rendered from the catalog. A check fails
 * when the committed file differs from what the catalog renders; `npx nx run infra:template`
 * rewrites them (and so does the processor generator).
 */

const REGIONS = {
  parameters: processorParameters,
  resources: processorResources,
  outputs: processorOutputs,
} satisfies Record<string, (entry: ProcessorEntry) => string>;

type Region = keyof typeof REGIONS;

export const COMMAND = 'npx nx run infra:template';

const begin = (region: Region) =>
  `  # >>> the ${region} of each processor, rendered from libs/processors/src/catalog.ts by \`${COMMAND}\`: do not edit`;
const end = (region: Region) => `  # <<< the ${region} of each processor`;

export class TemplateRegionError extends Error {
  override name = 'TemplateRegionError';
}

/** The template with each region rendered from `catalog`, everything else as it was. */
export function renderTemplate(text: string, catalog: readonly ProcessorEntry[]): string {
  let rendered = text;
  for (const [region, render] of Object.entries(REGIONS) as [
    Region,
    typeof processorParameters,
  ][]) {
    const [start, stop] = [begin(region), end(region)];
    const from = rendered.indexOf(`${start}\n`);
    const to = rendered.indexOf(`${stop}\n`, from);
    if (from < 0 || to < 0) {
      throw new TemplateRegionError(`the template has no region "${start}" … "${stop}"`);
    }
    const body = catalog.map(render).join(region === 'resources' ? '\n' : '');
    rendered = `${rendered.slice(0, from)}${start}\n${body}${rendered.slice(to)}`;
  }
  return rendered;
}
