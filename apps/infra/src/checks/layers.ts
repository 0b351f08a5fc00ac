import { CATALOG, type ProcessorEntry } from '@gallery/processors';
import { layerIds, processorIds, SHARP_LAYER } from '@gallery/stack-template';
import {
  asList,
  isObject,
  refTo,
  render,
  resourceOf,
  resourcesOfType,
  type FoundResource,
  type Template,
} from '../template';
import { CODE_KEY_SUFFIX } from './functions';

/** sharp's binaries in its layer are linux-x64 ones: it serves x86_64 functions only. */
export const SHARP_ARCHITECTURES = ['x86_64'];

/**
 * A function's layers are layer versions of this stack, whose code comes from the artifact
 * bucket under a key given as a parameter (a new key is a new version), each declared for the
 * runtime and architecture of every function that uses it. Every function whose processor
 * needs sharp (`sharp: true` in `catalog`) has the sharp layer, where sharp is (its zip holds
 * its bundle only), and no other function has it; a function the catalog does not know is
 * held to the first rules only.
 */
export function checkLayers(
  template: Template,
  catalog: readonly ProcessorEntry[] = CATALOG,
): string[] {
  const problems: string[] = [];
  const parameters = template.Parameters ?? {};
  const isParameter = (name: string | undefined) => name !== undefined && name in parameters;
  const sharpLayer = layerIds(SHARP_LAYER).layer;
  const users = new Map<string, FoundResource[]>();

  for (const fn of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const layers: string[] = [];
    for (const item of asList(fn.properties['Layers'])) {
      const layer = resourceOf(template, refTo(item), 'AWS::Lambda::LayerVersion');
      if (!layer) {
        problems.push(
          `${fn.id}: Layers holds ${render(item)}, not !Ref <a layer version of this template>`,
        );
        continue;
      }
      layers.push(layer.id);
      users.set(layer.id, [...(users.get(layer.id) ?? []), fn]);
    }
    const entry = catalog.find((candidate) => processorIds(candidate).function === fn.id);
    if (entry?.sharp && !layers.includes(sharpLayer)) {
      problems.push(
        `${fn.id}: its processor needs sharp (sharp: true in the catalog), but Layers has no !Ref ${sharpLayer}`,
      );
    }
    if (entry && !entry.sharp && layers.includes(sharpLayer)) {
      problems.push(
        `${fn.id}: has ${sharpLayer}, which its processor does not need (sharp: false in the catalog)`,
      );
    }
  }

  for (const layer of resourcesOfType(template, 'AWS::Lambda::LayerVersion')) {
    const at = layer.id;
    const content = isObject(layer.properties['Content']) ? layer.properties['Content'] : {};
    if (!isParameter(refTo(content['S3Bucket']))) {
      problems.push(`${at}: Content.S3Bucket is not !Ref <parameter>`);
    }
    const codeKey = refTo(content['S3Key']);
    if (!isParameter(codeKey) || !codeKey?.endsWith(CODE_KEY_SUFFIX)) {
      problems.push(`${at}: Content.S3Key is not !Ref <parameter named *${CODE_KEY_SUFFIX}>`);
    }
    const runtimes = asList(layer.properties['CompatibleRuntimes']);
    const architectures = asList(layer.properties['CompatibleArchitectures']);
    if (
      at === sharpLayer &&
      JSON.stringify(architectures) !== JSON.stringify(SHARP_ARCHITECTURES)
    ) {
      problems.push(
        `${at}: CompatibleArchitectures is not [${SHARP_ARCHITECTURES.join(', ')}], the platform of sharp's binaries in it`,
      );
    }
    for (const fn of users.get(at) ?? []) {
      const runtime = fn.properties['Runtime'];
      if (runtime !== undefined && !runtimes.includes(runtime)) {
        problems.push(
          `${at}: CompatibleRuntimes lacks ${render(runtime)}, the runtime of ${fn.id}`,
        );
      }
      for (const architecture of asList(fn.properties['Architectures'] ?? 'x86_64')) {
        if (!architectures.includes(architecture)) {
          problems.push(
            `${at}: CompatibleArchitectures lacks ${render(architecture)}, the architecture of ${fn.id}`,
          );
        }
      }
    }
  }
  return problems;
}
