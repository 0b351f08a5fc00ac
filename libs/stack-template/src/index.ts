export {
  layerIds,
  pascal,
  processorIds,
  processorOutputs,
  processorParameters,
  processorResources,
  SHARP_LAYER,
} from './processor-resources';
export { COMMAND, renderTemplate, TemplateRegionError } from './template-regions';
