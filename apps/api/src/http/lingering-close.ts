import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';

/**
 * How long a connection whose unread body passed the bound stays half-closed before it is
 * dropped. The answer went out before the server read the bound's worth of body, so by
 * then the client has had it for a while: this covers only its reading it.
 */
const LINGER_MS = 2_000;

/**
 * An `onSend` hook for a route that may answer before it has read the request body (an
 * upload refused by its first bytes). Node closes such a connection the moment the answer
 * is written; the bytes the client is still sending then meet a closed socket, the kernel
 * answers them with a reset, and a client that has not read the answer yet loses it to the
 * reset (RFC 9112, section 9.6). Instead the answer says `connection: close`, the rest of the
 * body is read and thrown away, up to `maxDiscardBytes`, and only then does the connection
 * close; past that bound the server stops reading, half-closes, and drops the connection
 * after `LINGER_MS`.
 */
export function closeLingeringWhenBodyUnread(maxDiscardBytes: number) {
  return async function closeLingering(
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
  ) {
    const { raw } = request;
    // An injected request has no connection to close.
    if (!raw.complete && raw.socket instanceof Socket) {
      reply.header('connection', 'close');
      discardBodyBeforeClosing(raw, raw.socket, maxDiscardBytes);
    }
    return payload;
  };
}

/**
 * Node's HTTP server ends a connection that will not be reused with `socket.destroySoon()`
 * once the answer is written: for this socket, that close waits for the rest of the body.
 */
function discardBodyBeforeClosing(request: IncomingMessage, socket: Socket, maxBytes: number) {
  const close = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    socket.destroySoon = close;
    if (request.complete || request.destroyed) return close();
    let discarded = 0;
    const discard = (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded <= maxBytes) return;
      request.off('data', discard);
      request.pause();
      lingerThenDrop(socket);
    };
    // Read to its end, nothing is left unread to turn the close into a reset.
    request.once('end', close);
    request.on('data', discard);
    // Whoever read the body (the form parser) has given up on it.
    request.unpipe();
    request.resume();
  };
}

function lingerThenDrop(socket: Socket) {
  socket.end();
  const drop = setTimeout(() => socket.destroy(), LINGER_MS);
  socket.once('close', () => clearTimeout(drop));
}
