import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import { AppError, handleError } from "./errors.js";

/** Past this much of a refused body, or this long, the connection is closed without reading further. */
const DRAIN_FACTOR = 4,
  DRAIN_MAX_BYTES = 64 * 1024 * 1024,
  DRAIN_MAX_MS = 10_000;

/**
 * The 413 for a body over the limit, answered so that common clients read it. Python's urllib and requests
 * send the whole body before reading any reply: a reply while they are still sending, followed by a closed
 * socket, reaches them as a connection reset. So the rest of the body is read and dropped (up to a bound),
 * then the answer goes out with `Connection: close`.
 */
export async function tooLarge(c: Context, maxSize: number): Promise<Response> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming && !incoming.readableEnded && !incoming.destroyed) await drain(incoming, Math.min(maxSize * DRAIN_FACTOR, DRAIN_MAX_BYTES));
  c.header("connection", "close");
  return handleError(new AppError("payload_too_large", `请求体超过 ${maxSize} 字节的上限`), c);
}

function drain(incoming: IncomingMessage, maxBytes: number): Promise<void> {
  return new Promise((done) => {
    let read = 0;
    const finish = () => {
      clearTimeout(timer);
      incoming.off("data", onData).off("readable", pull).off("end", finish).off("error", finish).off("close", finish);
      done();
    };
    // The server's request wrapper may listen for 'readable', which stops 'data' from flowing by itself: pull.
    const pull = () => {
      while (incoming.read() !== null && read <= maxBytes);
    };
    const onData = (chunk: Buffer) => {
      read += chunk.length;
      if (read > maxBytes) finish();
    };
    const timer = setTimeout(finish, DRAIN_MAX_MS);
    incoming.on("data", onData).on("readable", pull).on("end", finish).on("error", finish).on("close", finish);
    incoming.resume();
    pull();
  });
}
