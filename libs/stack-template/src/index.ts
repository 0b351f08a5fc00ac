export {
  pascal,
  processorIds,
  processorOutputs,
  processorParameters,
  processorResources,
} from './processor-resources';
export { COMMAND, renderTemplate, TemplateRegionError } from './template-regions';
