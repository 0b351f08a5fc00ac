import { SNSClient } from '@aws-sdk/client-sns';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishError } from './errors';
import { createSnsPublisher } from './sns-publisher';

// aws-sdk-client-mock replaces `send`, and with it the SDK's retry middleware: the SDK's own
// retries are proven against an SNS endpoint on loopback that answers as SNS does.

const topicArn = 'arn:aws:sns:eu-west-1:123456789012:gallery-image-uploaded';

const published = `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <PublishResult><MessageId>m-1</MessageId></PublishResult>
  <ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata>
</PublishResponse>`;

const failure = (type: string, code: string, message: string) =>
  `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
  <Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error>
  <RequestId>r-2</RequestId>
</ErrorResponse>`;

interface Answer {
  status: number;
  body: string;
}

/** An SNS endpoint that gives `answers` in turn (the last one from then on) and counts calls. */
async function fakeSns(
  answers: Answer[],
): Promise<{ server: Server; endpoint: string; calls: () => number }> {
  let calls = 0;
  const server = createServer((request, response) => {
    request.resume().on('end', () => {
      const { status, body } = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      response.writeHead(status, { 'content-type': 'text/xml' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, endpoint: `http://127.0.0.1:${port}`, calls: () => calls };
}

const clientFor = (endpoint: string, maxAttempts?: number) =>
  new SNSClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...(maxAttempts !== undefined && { maxAttempts }),
  });

describe('createSnsPublisher with the SDK retrying', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it('publishes after SNS throttles twice, through the default client retries', async () => {
    // prepare
    const sns = await fakeSns([
      { status: 400, body: failure('Sender', 'Throttling', 'Rate exceeded') },
      { status: 400, body: failure('Sender', 'Throttling', 'Rate exceeded') },
      { status: 200, body: published },
    ]);
    server = sns.server;
    const client = clientFor(sns.endpoint);
    const publisher = createSnsPublisher({ client, topicArn });
    // act
    await publisher.publish({ type: 'image.uploaded', body: '{}' });
    // assess
    expect(sns.calls()).toBe(3);
    expect(await client.config.maxAttempts()).toBeGreaterThanOrEqual(3);
    client.destroy();
  });

  it('rejects with a PublishError caused by the 5xx once the client has made its attempts', async () => {
    // prepare
    const sns = await fakeSns([
      {
        status: 500,
        body: failure('Receiver', 'InternalError', 'We encountered an internal error'),
      },
    ]);
    server = sns.server;
    const client = clientFor(sns.endpoint, 2);
    const publisher = createSnsPublisher({ client, topicArn });
    // act
    const publishing = publisher.publish({ type: 'image.uploaded', body: '{}' });
    // assess
    await expect(publishing).rejects.toBeInstanceOf(PublishError);
    await expect(publishing).rejects.toMatchObject({
      cause: { name: 'InternalErrorException', $metadata: { httpStatusCode: 500, attempts: 2 } },
    });
    expect(sns.calls()).toBe(2);
    client.destroy();
  });
});
