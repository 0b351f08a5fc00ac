// How the launcher shows an app's log line: pino's JSON as is for programs (tests, CI, a pipe),
// a short line for a person at a terminal. The apps themselves always log JSON.
const { prettyFactory } = require('pino-pretty');

/** The fields worth a person's attention; the ids that join lines across apps stay in the JSON. */
const SHOWN_FIELDS = ['imageId', 'queue', 'outcome', 'reason', 'err.message'];

/**
 * @param {{ isTTY: boolean }} output where the lines go
 * @returns {(line: string) => string}
 */
function logLineFormatter({ isTTY }) {
  if (!isTTY) return (line) => line;
  const pretty = prettyFactory({
    colorize: true,
    translateTime: 'SYS:HH:MM:ss.l',
    singleLine: true,
    include: ['level', 'time', ...SHOWN_FIELDS].join(','),
    // A request's line says what it was, not only "incoming request" or "request completed".
    messageFormat:
      '{msg}{if req.method} {req.method} {req.url}{end}{if res.statusCode} {res.statusCode}{end}',
    // Only the error's message (above); as an error, it would take a line for each field.
    errorLikeObjectKeys: [],
  });
  return (line) => {
    const record = parseObject(line);
    // Not a pino record (a plain line, the generated admin password): shown unchanged.
    if (typeof record?.level !== 'number') return line;
    return pretty(record).trimEnd();
  };
}

function parseObject(line) {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

module.exports = { logLineFormatter };
