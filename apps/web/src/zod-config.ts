import { config } from 'zod';

// The page runs under a CSP without 'unsafe-eval': zod's probe for `new Function` would be
// caught, yet still reported as a violation on every load. Validate without compiling.
config({ jitless: true });
