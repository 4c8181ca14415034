/**
 * Peak memory of a checkpoint import, whole-buffer against streamed, each in a process of its own (finding 14 of
 * docs/photoshop.md). Not a Jest test: it writes a ~360 MB file.
 *
 *   npx ts-node --transpile-only test/model/importMemory.ts make /tmp/ffhq512.pkl 512
 *   node --expose-gc -r ts-node/register/transpile-only test/model/importMemory.ts whole /tmp/ffhq512.pkl
 *   node --expose-gc -r ts-node/register/transpile-only test/model/importMemory.ts streamed /tmp/ffhq512.pkl
 *
 * `make` writes an official-shaped training snapshot {G, D, G_ema} at that resolution (trainingSnapshot.ts). The
 * others print one JSON line: seconds, peak RSS and the RSS before (process.resourceUsage, the kernel's own peak),
 * and the peak of V8's heap plus ArrayBuffers sampled every 20 ms.
 */
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'fs';
import { openUserFile } from '../../plugin/hosts/node/userFiles';
import { importCheckpoint, importCheckpointFrom } from '../../plugin/model/importCheckpoint';
import type { ModelPackage } from '../../plugin/model/modelPackage';
import { ffhqKwargs, trainingSnapshotParts } from './trainingSnapshot';

const MB = 2 ** 20;

function make(path: string, resolution: number): void {
  const parts = trainingSnapshotParts(ffhqKwargs(resolution), 512);
  const fd = openSync(path, 'w');
  let bytes = 0;
  for (const p of parts) bytes += writeSync(fd, p);
  closeSync(fd);
  console.log(JSON.stringify({ wrote: path, megabytes: +(bytes / MB).toFixed(1) }));
}

async function measure(mode: string, path: string): Promise<void> {
  (globalThis as { gc?: () => void }).gc?.();
  const rssBefore = process.memoryUsage().rss;
  let heapPeak = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    heapPeak = Math.max(heapPeak, m.heapUsed + m.arrayBuffers);
  };
  const timer = setInterval(sample, 20);
  const t0 = performance.now();
  let pkg: ModelPackage;
  let reads = 0;
  let bytesRead = 0;
  if (mode === 'whole') {
    // a view, not a copy: what the panel had (File.read's ArrayBuffer)
    const b = readFileSync(path);
    pkg = importCheckpoint(new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
  } else {
    const file = await openUserFile(path, 'checkpoint');
    try {
      pkg = await importCheckpointFrom({
        length: file.length,
        read: (offset, length) => {
          reads++;
          bytesRead += length;
          return file.read(offset, length);
        },
      });
    } finally {
      await file.close();
    }
  }
  sample();
  clearInterval(timer);
  const packageBytes = [...pkg.weights.values()].reduce((n, t) => n + t.data.byteLength, 0);
  console.log(
    JSON.stringify({
      mode,
      file: path,
      fileMB: +(statSync(path).size / MB).toFixed(1),
      seconds: +((performance.now() - t0) / 1000).toFixed(2),
      packageMB: +(packageBytes / MB).toFixed(1),
      peakRssMB: +((process.resourceUsage().maxRSS * 1024) / MB).toFixed(0),
      rssBeforeMB: +(rssBefore / MB).toFixed(0),
      peakHeapPlusBuffersMB: +(heapPeak / MB).toFixed(0),
      ...(mode === 'streamed' ? { reads, readMB: +(bytesRead / MB).toFixed(1) } : {}),
    }),
  );
}

const [cmd, path, res] = process.argv.slice(2);
if (cmd === 'make') make(path, Number(res ?? 512));
else if (cmd === 'whole' || cmd === 'streamed') void measure(cmd, path);
else throw new Error('usage: importMemory.ts make <file> [resolution] | whole <file> | streamed <file>');
