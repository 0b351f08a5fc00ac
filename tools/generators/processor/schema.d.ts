export interface ProcessorGeneratorSchema {
  /** Lower case, a-z0-9-: the processor's name; its worker is apps/<name>-worker. */
  name: string;
}
