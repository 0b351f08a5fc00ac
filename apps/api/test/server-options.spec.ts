import Fastify from 'fastify';
import pino from 'pino';
import { serverOptions } from '../src/app';

describe('the HTTP server', () => {
  it('gives a whole request, body included, two minutes, so a stalled upload is cut off', async () => {
    const app = Fastify(serverOptions(pino({ level: 'silent' })));

    await app.ready();
    const { requestTimeout, headersTimeout } = app.server;
    await app.close();

    expect(requestTimeout).toBe(120_000);
    expect(headersTimeout).toBeLessThanOrEqual(requestTimeout);
  });

  it('drops a connection silent for a minute, and keeps idle ones longer than a load balancer', async () => {
    const app = Fastify(serverOptions(pino({ level: 'silent' })));

    await app.ready();
    const { timeout, keepAliveTimeout } = app.server;
    await app.close();

    expect(timeout).toBe(60_000);
    expect(keepAliveTimeout).toBeGreaterThan(60_000);
  });
});
