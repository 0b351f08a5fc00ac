import { readFileSync } from 'node:fs';
import { CATALOG, type ProcessorEntry } from '@gallery/processors';
import { checkTemplate } from '../src/check-template';
import { parseTemplate } from '../src/cloudformation-yaml';
import { processorIds } from '@gallery/stack-template';
import { COMMAND, renderTemplate, TemplateRegionError } from '@gallery/stack-template';
import { TEMPLATE_PATH } from './template-edits';

const committed = readFileSync(TEMPLATE_PATH, 'utf8');

/** A processor as the generator adds it: no needs beyond reading originals. */
const faces: ProcessorEntry = {
  name: 'faces',
  queue: 'faces',
  project: 'faces-worker',
  route: 'faces',
  pendingText: 'finding faces…',
  failedText: 'faces failed',
  storage: 'json',
  sharp: false,
  lambda: {
    description: 'image.uploaded → faces → callback to the API',
    memoryMb: 512,
    timeoutSeconds: 30,
    batchSize: 5,
    batchingWindowSeconds: 0,
    maximumConcurrency: 2,
    writesPrefixes: [],
    resourcelessActions: [],
  },
};

describe('the template rendered from the catalog', () => {
  it('is what is committed', () => {
    // A failure here means the catalog changed after the template: run the command.
    expect({ command: COMMAND, template: committed }).toEqual({
      command: COMMAND,
      template: renderTemplate(committed, CATALOG),
    });
  });

  it('gives a new processor every resource, each passing every check', () => {
    const template = parseTemplate(
      renderTemplate(committed, [...CATALOG.filter(({ name }) => name !== faces.name), faces]),
    );
    const ids = processorIds(faces);

    expect(checkTemplate(template)).toEqual([]);
    expect(
      Object.values(ids).filter(
        (id) => !(id in template.Resources) && !(id in (template.Parameters ?? {})),
      ),
    ).toEqual([]);
    expect(Object.keys(template.Outputs ?? {})).toEqual(
      expect.arrayContaining([
        'FacesQueueUrl',
        'FacesDeadLetterQueueUrl',
        'FacesWorkerFunctionName',
      ]),
    );
  });

  it('leaves no processor behind when one leaves the catalog', () => {
    const [first, ...others] = CATALOG;
    const template = parseTemplate(renderTemplate(committed, others));

    expect(
      Object.keys(template.Resources).filter((id) => id.startsWith(processorIds(first).function)),
    ).toEqual([]);
    expect(checkTemplate(template)).toEqual([]);
  });

  it('names the region a broken template lacks', () => {
    const broken = committed.replace(/^ {2}# <<< the outputs of each processor$/m, '');

    expect(() => renderTemplate(broken, CATALOG)).toThrow(TemplateRegionError);
    expect(() => renderTemplate(broken, CATALOG)).toThrow(/the outputs of each processor/);
  });
});
