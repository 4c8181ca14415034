import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { downloadResumable } from '../../plugin/hosts/node/resumableDownload';
import { parseContentRange } from '../../plugin/model/download/contentRange';
import { startCheckpointServer, type CheckpointServer } from '../helpers/checkpointServer';

/** The resumable download alone, for the faults the CLI tests do not reach: a stalled connection, odd answers. */

const FILE = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
let server: CheckpointServer;
let dir: string;
let partial: string;

beforeAll(async () => {
  server = await startCheckpointServer({ 'f.bin': FILE });
});
afterAll(() => server.close());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-dl-'));
  partial = join(dir, 'f.partial');
  server.faults = {};
  server.requests.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const download = (extra: Partial<Parameters<typeof downloadResumable>[0]> = {}) =>
  downloadResumable({
    url: server.url('f.bin'),
    partialPath: partial,
    expectedBytes: null,
    retryDelayMs: () => 1,
    ...extra,
  });

test('a connection that stalls (open, silent) is dropped after stallMs and resumed with a Range request', async () => {
  server.faults = { stallAfter: [100_000] };
  const r = await download({ stallMs: 300 });
  expect(r).toEqual({ bytes: FILE.length, resumedAttempts: 1 });
  expect(server.requests.map((q) => q.range)).toEqual([undefined, expect.stringMatching(/^bytes=\d+-$/)]);
  expect(Buffer.from(readFileSync(partial)).equals(Buffer.from(FILE))).toBe(true);
});

test("a complete partial file: the server's 416 with the same total means done, nothing downloaded again", async () => {
  writeFileSync(partial, FILE);
  expect(await download()).toEqual({ bytes: FILE.length, resumedAttempts: 1 });
  expect(server.requests).toEqual([{ path: '/f.bin', range: `bytes=${FILE.length}-` }]);
});

test('a range answer that starts elsewhere than asked: the partial file is dropped and the file fetched whole', async () => {
  writeFileSync(partial, FILE.subarray(0, 1000));
  server.faults = { wrongRangeStart: 500 };
  const notes: string[] = [];
  await download({ onNote: (t) => notes.push(t) });
  expect(notes.join('\n')).toMatch(/sent bytes from 500, not 1000; starting again/);
  expect(server.requests.map((q) => q.range)).toEqual(['bytes=1000-', undefined]);
  expect(Buffer.from(readFileSync(partial)).equals(Buffer.from(FILE))).toBe(true);
});

test('progress reports bytes so far and the total', async () => {
  const seen: [number, number | null][] = [];
  await download({ onProgress: (d, t) => seen.push([d, t]) });
  expect(seen.at(-1)).toEqual([FILE.length, FILE.length]);
  for (let i = 1; i < seen.length; i++) expect(seen[i][0]).toBeGreaterThan(seen[i - 1][0]);
});

test('Content-Range parsing', () => {
  expect(parseContentRange('bytes 100-199/1000')).toEqual({ start: 100, total: 1000 });
  expect(parseContentRange('bytes */1000')).toEqual({ start: null, total: 1000 });
  expect(parseContentRange('bytes 0-9/*')).toEqual({ start: 0, total: null });
  expect(parseContentRange('items 1-2/3')).toBeNull();
  expect(parseContentRange(null)).toBeNull();
});

test('stopped through the signal mid-body: a user error saying how to resume, the bytes so far kept', async () => {
  server.faults = { stallAfter: [100_000] };
  const stop = new AbortController();
  const pending = download({
    signal: stop.signal,
    onProgress: (d) => d >= 100_000 && stop.abort(new Error('interrupted')),
  });
  await expect(pending).rejects.toThrow(/download stopped; run the same command again to resume from 0\.1 MB/);
  expect(readFileSync(partial).length).toBe(100_000);
});

test('a 410 after an interrupted run: the stale partial file is removed with the error', async () => {
  writeFileSync(partial, FILE.subarray(0, 1000));
  server.faults = { statuses: [410] };
  await expect(download()).rejects.toThrow(/HTTP 410 Gone \(the file is not there/);
  expect(() => readFileSync(partial)).toThrow(/ENOENT/);
});
