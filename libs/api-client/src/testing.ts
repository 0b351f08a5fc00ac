import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

// Test support, imported as `@gallery/api-client/testing` by specs only: it needs Node, and the
// index never re-exports it, so the browser build cannot reach it.

export interface ReceivedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Picks the status of each answer; `index` counts the requests received before this one. */
export type StatusPicker = (request: ReceivedRequest, index: number) => number;

/** Picks the JSON body of each answer, as StatusPicker does its status; undefined: no body. */
export type BodyPicker = (request: ReceivedRequest, index: number) => unknown;

/** Answers with the given statuses in turn, the last one ever after. */
export const inTurn =
  (statuses: number[]): StatusPicker =>
  (_request, index) =>
    statuses[Math.min(index, statuses.length - 1)];

/**
 * A loopback HTTP server standing in for the API's callback routes: it records every request
 * as received (signature headers included) and answers 204 unless `statusFor` says otherwise,
 * e.g. 410 for an image deleted meanwhile; `bodyFor` gives JSON answers, for the public API.
 */
export async function startFakeApi(
  statusFor: StatusPicker = () => 204,
  bodyFor: BodyPicker = () => undefined,
) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method, url: req.url, headers: req.headers, body };
      res.statusCode = statusFor(request, received.length);
      const answer = bodyFor(request, received.length);
      received.push(request);
      if (answer === undefined) return res.end();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bodiesAt = (url: string) =>
    received
      .filter((request) => request.url === url)
      .map(({ body }) => JSON.parse(body) as unknown);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    /** The JSON bodies received on one image's thumbnails route. */
    thumbnailsFor: (imageId: string) => bodiesAt(`/internal/images/${imageId}/thumbnails`),
    /** The JSON bodies received on one image's tags route. */
    tagsFor: (imageId: string) => bodiesAt(`/internal/images/${imageId}/tags`),
    /** Resolves once closed, also when it was closed already. */
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeApi = Awaited<ReturnType<typeof startFakeApi>>;
