// Server-Sent Event streams for benchmarks that hold many of them: node:http with a socket of
// its own for each (no agent pool to queue behind), and each event read only as far as its id
// and its type, so that the bench's own parsing stays a small part of what it measures.
const http = require('node:http');

/**
 * Opens `GET /api/events` with the session cookie (and `Last-Event-ID` when given); resolves
 * once the response's headers are in. `onEvent({ seq, type, block, at })` is called for every
 * block with an `id:` line, `at` being `performance.now()` when its chunk arrived and `type`
 * undefined for the bare `id:` a new stream starts with. `ended` resolves when the server ends
 * the stream; `close()` drops it.
 */
function openEventStream(baseUrl, cookie, { lastEventId, onEvent }) {
  return new Promise((resolve, reject) => {
    const headers = { cookie, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    const request = http.get(new URL('/api/events', baseUrl), { headers, agent: false });
    // Also after the response: a stream closed by either side ends with a socket error.
    request.on('error', reject);
    request.once('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        reject(new Error(`events: ${response.statusCode}`));
        return;
      }
      response.on('error', () => undefined);
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk) => {
        const at = performance.now();
        buffer += chunk;
        let start = 0;
        let end;
        while ((end = buffer.indexOf('\n\n', start)) >= 0) {
          // `retry:` and `: ping` blocks carry no id.
          if (buffer.startsWith('id: ', start)) {
            const block = buffer.slice(start, end);
            onEvent({ seq: parseInt(block.slice(4), 10), type: eventType(block), block, at });
          }
          start = end + 2;
        }
        buffer = buffer.slice(start);
      });
      const ended = new Promise((done) => response.once('close', done));
      resolve({ ended, close: () => request.destroy() });
    });
  });
}

/** The block's `event:` line, if it has one. */
function eventType(block) {
  const start = block.indexOf('\nevent: ');
  if (start < 0) return undefined;
  const end = block.indexOf('\n', start + 8);
  return block.slice(start + 8, end < 0 ? undefined : end);
}

module.exports = { openEventStream };
