export { CATALOG, PROCESSORS } from './catalog';
export type { LambdaSettings, LambdaVariable, ProcessorEntry, ProcessorName } from './catalog';
export { labelSchema, RESULTS, thumbnailSchema } from './results';
export type { Label, ResultOf, Thumbnail } from './results';
export { catalogProblems, perProcessor, processorNamed } from './lookup';
