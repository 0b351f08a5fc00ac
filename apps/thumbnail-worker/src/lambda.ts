import sharp from 'sharp';
import { composeLambda } from './compose';
import { loadLambdaConfig } from './config';
import { allowOnlyImageDecoders } from './sharp-setup';

// Each image is read once: sharp's cache would only hold memory between invocations.
sharp.cache(false);
allowOnlyImageDecoders();

// Made once per container and reused while it is warm.
export const handler = composeLambda(loadLambdaConfig());
