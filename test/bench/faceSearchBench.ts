/**
 * The bundled model's face search (plugin/faces/landmarkFaceSearch.ts) timed on pictures of two sizes, each with one
 * of the bundled model's faces turned and scaled into it: `ts-node --transpile-only test/bench/faceSearchBench.ts`.
 * Prints per picture the seconds, the windows the net read, the time in the net, and where the face was found.
 */
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { applyAffine } from '../../plugin/faces/affine';
import { searchFaces } from '../../plugin/faces/landmarkFaceSearch';
import { onnxLandmarkDetector } from '../../plugin/eval/landmarkDetector';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { startNodeRuntime } from '../../plugin/hosts/node/backends';
import { readLandmarkDetectorFiles } from '../../plugin/hosts/node/landmarkDetectorFiles';
import { decodePng } from '../../plugin/hosts/node/pngDecode';
import { placeFace } from '../faces/placedFace';
import { memoryIo } from '../cli/memoryIo';

const CASES = [
  { width: 420, height: 340, angle: 20, scale: 2, cx: 230, cy: 165 },
  { width: 1024, height: 768, angle: 20, scale: 2, cx: 600, cy: 400 },
  { width: 1024, height: 768, angle: -10, scale: 1, cx: 300, cy: 500 },
  // smaller than a fifth of the short side: searched since the range went down to a tenth
  { width: 420, height: 340, angle: 10, scale: 0.45, cx: 120, cy: 250 },
  { width: 1024, height: 768, angle: 0, scale: 0.7, cx: 800, cy: 200 },
];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'draggan-facebench-'));
  try {
    if ((await runCli(['generate', '--seed', '3', '--out', join(dir, 'face.png')], memoryIo())) !== 0)
      throw new Error('generate failed');
    const png = decodePng(new Uint8Array(readFileSync(join(dir, 'face.png'))));
    const rgba = new Uint8ClampedArray(128 * 128 * 4);
    for (let i = 0; i < 128 * 128; i++)
      for (let c = 0; c < 4; c++) rgba[4 * i + c] = c === 3 ? 255 : png.data[png.channels * i + c];
    const { runtime } = await startNodeRuntime('cpu');
    const files = readLandmarkDetectorFiles();
    const detector = await onnxLandmarkDetector(runtime, files.onnx, files.card);
    const meanFace = files.card.mean_face!.map(([x, y]) => ({ x, y }));
    let netMs = 0;
    let crops = 0;
    const timed = {
      names: detector.names,
      resolution: detector.resolution,
      async detectCrops(c: readonly Float32Array[]) {
        const t = performance.now();
        const r = await detector.detectCrops(c);
        netMs += performance.now() - t;
        crops += c.length;
        return r;
      },
    };
    for (const k of CASES) {
      const placed = placeFace(
        { width: 128, height: 128, data: rgba },
        k.width,
        k.height,
        (k.angle * Math.PI) / 180,
        k.scale,
        k.cx,
        k.cy,
      );
      const picture = { width: k.width, height: k.height, channels: 4 as const, data: placed.picture.data };
      netMs = 0;
      crops = 0;
      const t = performance.now();
      const faces = await searchFaces(timed, picture, meanFace);
      const s = (performance.now() - t) / 1000;
      const truth = applyAffine(placed.toPicture, { x: 63.5, y: 63.5 });
      const got = faces.map((f) => applyAffine(f.toPicture, { x: 63.5, y: 63.5 }));
      console.log(
        `${k.width}x${k.height} face x${k.scale} at ${k.angle} deg: ${s.toFixed(2)} s, ${crops} crops, net ${(netMs / 1000).toFixed(2)} s; ` +
          `${faces.length} faces, first centre off by ${got.length ? Math.hypot(got[0].x - truth.x, got[0].y - truth.y).toFixed(1) : '-'} px, ` +
          `scale ${faces.length ? Math.hypot(faces[0].toPicture.a, faces[0].toPicture.d).toFixed(2) : '-'}`,
      );
    }
    await detector.release?.();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
