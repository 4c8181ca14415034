/**
 * A catalog download into a host's storage, with the sha256 check where the catalog entry has one (no entry
 * publishes one today: these are test-only entries): the right digest installs the model, a wrong one is refused
 * with what was expected and leaves no bytes behind.
 */
import { createHash } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { concatBytes } from '../../../plugin/codecs/concatBytes';
import { bytesSource } from '../../../plugin/model/byteSource';
import { CATALOG } from '../../../plugin/model/catalog/catalogData';
import type { CatalogEntry } from '../../../plugin/model/catalog/catalogTypes';
import type { RangeFetch } from '../../../plugin/model/download/chunkedDownload';
import { DownloadError } from '../../../plugin/model/download/downloadError';
import type { ModelStorage } from '../../../plugin/model/download/modelStorage';
import { pullToStorage } from '../../../plugin/model/download/pullToStorage';
import type { ModelPackage } from '../../../plugin/model/modelPackage';

const TINY128 = new Uint8Array(readFileSync(join(__dirname, '../../fixtures/checkpoints/tiny128.pkl')));
const SHA = createHash('sha256').update(TINY128).digest('hex');

/** A server of one file that honours Range, as fetch answers it. */
const serveFile: RangeFetch = async (_url, init) => {
  const [, a, b] = /^bytes=(\d+)-(\d+)$/.exec(init.headers.Range) ?? [];
  const start = Number(a);
  const end = Math.min(Number(b), TINY128.length - 1);
  const body = TINY128.slice(start, end + 1);
  const headers: Record<string, string> = { 'content-range': `bytes ${start}-${end}/${TINY128.length}` };
  return {
    status: 206,
    statusText: 'Partial Content',
    headers: { get: (n) => headers[n.toLowerCase()] ?? null },
    arrayBuffer: async () => body.buffer,
  };
};

function memoryStorage() {
  const parts = new Map<string, Uint8Array>();
  const installed = new Map<string, ModelPackage>();
  const storage: ModelStorage = {
    partial: (id) => ({
      size: async () => parts.get(id)?.length ?? 0,
      append: async (b) => void parts.set(id, concatBytes([parts.get(id) ?? new Uint8Array(0), b])),
      clear: async () => void parts.delete(id),
      source: async () => bytesSource(parts.get(id) ?? new Uint8Array(0)),
    }),
    install: async (id, pkg) => void installed.set(id, pkg),
    installed: async () => [...installed.keys()],
    remove: async (id) => void (installed.delete(id), parts.delete(id)),
  };
  return { parts, installed, storage };
}

const base = CATALOG.find((e) => e.id === 'sd-elephants-512')!;
const entry = (sha256: string): CatalogEntry => ({ ...base, sha256, bytes: TINY128.length });

test('a download whose sha256 is the published one installs the model', async () => {
  const m = memoryStorage();
  await pullToStorage({
    entry: entry(SHA),
    urls: ['http://mirror.test/x.pkl'],
    storage: m.storage,
    fetch: serveFile,
    chunkBytes: 100_000,
  });
  expect([...m.installed.keys()]).toEqual(['sd-elephants-512']);
  expect(m.installed.get('sd-elephants-512')!.config.img_resolution).toBe(128);
  expect(m.parts.size).toBe(0);
});

test('a download whose sha256 differs is refused with both digests, and nothing is kept or installed', async () => {
  const m = memoryStorage();
  const wrong = SHA.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  const pulled = pullToStorage({
    entry: entry(wrong),
    urls: ['http://mirror.test/x.pkl'],
    storage: m.storage,
    fetch: serveFile,
    chunkBytes: 100_000,
  });
  await expect(pulled).rejects.toThrow(DownloadError);
  await expect(pulled).rejects.toThrow(
    `elephants_512_pytorch.pkl has sha256 ${SHA}, not the ${wrong} published: a different or damaged file; nothing was kept`,
  );
  expect(m.installed.size).toBe(0);
  expect(m.parts.size).toBe(0);
});
