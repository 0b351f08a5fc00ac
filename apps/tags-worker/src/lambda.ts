import { composeLambda } from './compose-lambda';
import { loadLambdaConfig } from './config';
import { configureSharp } from './sharp-setup';

configureSharp();

// Made once per container and reused while it is warm.
export const handler = composeLambda(loadLambdaConfig());
