import { prefersStream } from '../../plugin/hosts/server/prefersStream';
import { STREAM_ACCEPT } from '../../plugin/remote/protocol';

test('a stream only when Accept prefers it to JSON; a tie or no header keeps the single JSON answer', () => {
  expect(prefersStream(STREAM_ACCEPT)).toBe(true);
  expect(prefersStream('application/x-ndjson')).toBe(true);
  expect(prefersStream('text/event-stream')).toBe(true);
  expect(prefersStream('application/json;q=0.1, text/event-stream')).toBe(true);
  // what clients sent before /v1/invert streamed, and what curl and browsers send
  expect(prefersStream('application/json, application/x-ndjson')).toBe(false);
  expect(prefersStream('*/*')).toBe(false);
  expect(prefersStream(undefined)).toBe(false);
  expect(prefersStream('')).toBe(false);
  expect(prefersStream('application/json')).toBe(false);
  expect(prefersStream('application/x-ndjson;q=0, application/json;q=0.5')).toBe(false);
});
