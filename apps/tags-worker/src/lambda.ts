import { configureSharp } from '@gallery/imaging';
import { composeLambda } from './compose-lambda';
import { loadLambdaConfig } from './config';

configureSharp();

// Made once per container and reused while it is warm.
export const handler = composeLambda(loadLambdaConfig());
