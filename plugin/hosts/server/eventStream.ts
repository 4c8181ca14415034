import type { ServerResponse } from 'http';
import { PROTOCOL_HEADER, PROTOCOL_VERSION, type DragStreamEvent, type InvertStreamEvent } from '../../remote/protocol';

export interface EventStream {
  send(e: DragStreamEvent | InvertStreamEvent): void;
  end(): void;
}

/**
 * A streamed 200 answer: NDJSON (one event per line) by default, server-sent events when the client asks for
 * text/event-stream. Each event is flushed as it is written, so progress shows while the work goes on.
 */
export function openEventStream(res: ServerResponse, accept: string | undefined): EventStream {
  const sse = accept !== undefined && /text\/event-stream/.test(accept);
  res.writeHead(200, {
    'content-type': sse ? 'text/event-stream; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    'cache-control': 'no-store',
    // tells nginx-style proxies not to buffer the stream
    'x-accel-buffering': 'no',
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  });
  res.flushHeaders();
  return {
    send: (e) => {
      if (res.writableEnded || res.destroyed) return;
      const json = JSON.stringify(e);
      res.write(sse ? `event: ${e.type}\ndata: ${json}\n\n` : `${json}\n`);
    },
    end: () => {
      if (!res.writableEnded) res.end();
    },
  };
}
