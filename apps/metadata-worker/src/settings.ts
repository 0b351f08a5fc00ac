// A namespace import: a bundle then keeps only the zod it uses.
import * as z from 'zod';

/** The metadata worker's own variables, in Lambda and locally. */
export const METADATA_ENV = z.object({
  /** `false` drops GPS before the result is reported, so that no location is ever stored. */
  METADATA_KEEP_LOCATION: z.stringbool().default(true),
});
