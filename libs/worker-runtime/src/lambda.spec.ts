import { verifySignature } from '@gallery/api-client';
import { startFakeApi, type FakeApi } from '@gallery/api-client/testing';
import { anImageUploaded, anSqsEvent, anSqsRecord } from '@gallery/messaging/testing';
import * as z from 'zod';
import { lambdaWorker } from './lambda';
import type { Worker, WorkerRuntime } from './worker';
import { ConfigError } from './worker-config';

const SECRET = 'lambda-secret-for-tests';
const OWN_ENV = z.object({ REKOGNITION_ENDPOINT: z.url().optional() });

describe('lambdaWorker', () => {
  let api: FakeApi;
  beforeEach(async () => {
    api = await startFakeApi();
  });
  afterEach(() => api.close());

  const lambdaEnv = () => ({
    S3_BUCKET: 'gallery',
    // Never reached: no record here fails for good, and the work reads nothing.
    DLQ_URL: 'https://sqs.eu-west-1.amazonaws.com/1/tags-dlq',
    S3_ENDPOINT: 'http://127.0.0.1:1',
    CALLBACK_SECRET: SECRET,
    API_URL: api.baseUrl,
    LOG_LEVEL: 'silent',
    REKOGNITION_ENDPOINT: 'http://127.0.0.1:4570',
  });

  /** A definition whose composition is recorded, and whose work tags every image `cat`. */
  function aDefinition() {
    const composed: WorkerRuntime<z.output<typeof OWN_ENV>>[] = [];
    const definition = {
      processor: 'tags' as const,
      env: OWN_ENV,
      compose: async (runtime: WorkerRuntime<z.output<typeof OWN_ENV>>) => {
        composed.push(runtime);
        const worker: Worker<'tags'> = {
          work: async () => ({ labeler: 'fake', tags: [{ name: 'cat', confidence: 90 }] }),
        };
        return worker;
      },
    };
    return { definition, composed };
  }

  it('refuses a misconfigured function at load, naming what is wrong, before composing anything', () => {
    const { definition, composed } = aDefinition();
    const env = { ...lambdaEnv(), S3_BUCKET: '', REKOGNITION_ENDPOINT: 'nowhere' };

    const load = () => lambdaWorker(definition, env);

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/S3_BUCKET[\s\S]*REKOGNITION_ENDPOINT/);
    expect(composed).toEqual([]);
  });

  it('composes the worker once, at the first event, with its variables and the S3 store', async () => {
    // prepare
    const { definition, composed } = aDefinition();
    const handler = lambdaWorker(definition, lambdaEnv());
    const composedAtLoad = composed.length;
    const [first, second] = [
      anImageUploaded({ bucket: 'gallery' }),
      anImageUploaded({ bucket: 'gallery' }),
    ];

    // act
    const responses = [
      await handler(anSqsEvent(anSqsRecord(JSON.stringify(first)))),
      await handler(anSqsEvent(anSqsRecord(JSON.stringify(second)))),
    ];

    // assess
    expect(composedAtLoad).toBe(0);
    expect(composed).toHaveLength(1);
    expect(composed[0].env).toEqual({ REKOGNITION_ENDPOINT: 'http://127.0.0.1:4570' });
    expect(composed[0].store.bucket).toBe('gallery');
    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(api.tagsFor(first.imageId)).toEqual([expect.objectContaining({ status: 'done' })]);
    expect(api.tagsFor(second.imageId)).toEqual([expect.objectContaining({ status: 'done' })]);
    for (const request of api.received) {
      await expect(verifySignature([SECRET], request.headers, request.body)).resolves.toEqual({
        ok: true,
      });
    }
  });
});
