import { stripVTControlCharacters } from 'node:util';

// The launcher's formatting of its apps' log lines (`npm start`).
const { logLineFormatter } = require('../../scripts/log-line-format.cjs') as {
  logLineFormatter(output: { isTTY: boolean }): (line: string) => string;
};

/** A line as the apps' pino loggers write it. */
const pinoLine = (fields: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: Date.now(), pid: 4242, hostname: 'vm', ...fields });

const TIME = String.raw`\[\d\d:\d\d:\d\d\.\d{3}\]`;

describe('the launcher shows its apps log lines', () => {
  it('at a terminal, as one short line of time, level, message and the fields that matter', () => {
    const line = pinoLine({
      name: 'thumbnail-worker',
      messageId: 'm-1',
      imageId: 'img-1',
      correlationId: 'c-1',
      outcome: 'done',
      msg: 'record processed',
    });

    const shown = stripVTControlCharacters(logLineFormatter({ isTTY: true })(line));

    expect(shown).toMatch(
      new RegExp(`^${TIME} INFO: record processed \\{"imageId":"img-1","outcome":"done"\\}$`),
    );
  });

  it('at a terminal, names a request by its method and path, and a response by its status', () => {
    const format = logLineFormatter({ isTTY: true });
    const request = { method: 'GET', url: '/api/images', host: 'h', remotePort: 1 };

    const incoming = format(pinoLine({ reqId: 'r-1', req: request, msg: 'incoming request' }));
    const completed = format(
      pinoLine({
        reqId: 'r-1',
        res: { statusCode: 200 },
        responseTime: 3.2,
        msg: 'request completed',
      }),
    );

    expect(stripVTControlCharacters(incoming)).toMatch(
      new RegExp(`^${TIME} INFO: incoming request GET /api/images$`),
    );
    expect(stripVTControlCharacters(completed)).toMatch(
      new RegExp(`^${TIME} INFO: request completed 200$`),
    );
  });

  it('at a terminal, keeps only the message of an error, on the same line', () => {
    const err = { type: 'Error', message: 'disk full', stack: 'Error: disk full\n    at write' };

    const shown = logLineFormatter({ isTTY: true })(
      pinoLine({ level: 50, err, imageId: 'img-2', msg: 'callback failed' }),
    );

    expect(stripVTControlCharacters(shown)).toMatch(
      new RegExp(
        `^${TIME} ERROR: callback failed \\{"imageId":"img-2","err":\\{"message":"disk full"\\}\\}$`,
      ),
    );
  });

  it('at a terminal, leaves lines that are not pino records as they are', () => {
    const format = logLineFormatter({ isTTY: true });

    for (const line of ['Gallery is running at http://127.0.0.1:3000', '{"not":"a log"}', '']) {
      expect(format(line)).toBe(line);
    }
  });

  it('elsewhere (a pipe, a test, CI), passes the JSON through unchanged', () => {
    const line = pinoLine({ imageId: 'img-1', msg: 'record processed' });

    expect(logLineFormatter({ isTTY: false })(line)).toBe(line);
  });
});
