/**
 * What a server says about its engine (/readyz `engine`) and how the panel reads it: "Local engine (CPU, 8
 * threads)" from a server that reports it, the plain line from one that predates the field (finding 16 of
 * docs/photoshop.md).
 */
import { physicalCoresInCpuinfo } from '../../plugin/hosts/node/cpuThreads';
import { findLocalServer } from '../../plugin/hosts/photoshop/localServer';
import { engineSummary, readEngineReport } from '../../plugin/remote/engineReport';
import { startTestServer } from './harness';

describe('readEngineReport / engineSummary', () => {
  it.each([
    [{ engine: { device: 'cpu', threads: 8, description: 'onnxruntime-node 1.30.0 (CPU)' } }, 'CPU, 8 threads'],
    [{ engine: { device: 'cpu', threads: 1, description: '' } }, 'CPU, 1 thread'],
    [{ engine: { device: 'cuda', description: 'onnxruntime-node 1.30.0 (CUDA)' } }, 'CUDA'],
    [{ engine: { device: 'cpu', threads: -3, description: 'x' } }, 'CPU'],
    [{ engine: { device: 'cpu', threads: 2.5 } }, 'CPU'],
  ])('%j -> %s', (body, words) => {
    expect(engineSummary(readEngineReport(body)!)).toBe(words);
  });

  it.each([
    [{ status: 'ready' }],
    [null],
    [{ engine: 'cpu' }],
    [{ engine: { device: '<b>GPU</b>' } }],
    [{ engine: { device: 7 } }],
  ])('nothing from %j', (body) => {
    expect(readEngineReport(body)).toBeUndefined();
  });
});

describe('onnxruntime default CPU threads: physical cores from /proc/cpuinfo', () => {
  const cpu = (n: number, pkg: number, core: number) =>
    `processor\t: ${n}\nphysical id\t: ${pkg}\ncore id\t\t: ${core}\n`;
  it('hyperthreads share a core; two sockets have cores of the same id', () => {
    expect(physicalCoresInCpuinfo([cpu(0, 0, 0), cpu(1, 0, 1), cpu(2, 0, 0), cpu(3, 0, 1)].join('\n'))).toBe(2);
    expect(physicalCoresInCpuinfo([cpu(0, 0, 0), cpu(1, 1, 0)].join('\n'))).toBe(2);
  });
  it('a cpuinfo without core ids (some ARM kernels) says nothing', () => {
    expect(physicalCoresInCpuinfo('processor\t: 0\nBogoMIPS\t: 48.00\n\nprocessor\t: 1\n')).toBeUndefined();
  });
});

describe('the panel asks /readyz', () => {
  it('a server that reports its engine: found, with its device and threads', async () => {
    const s = await startTestServer({
      warmUp: false,
      engine: { device: 'cpu', threads: 8, description: 'onnxruntime-node 1.30.0 (CPU)' },
    });
    try {
      expect(await findLocalServer(s.url)).toEqual({ url: s.url, engine: 'CPU, 8 threads' });
    } finally {
      await s.shutdown();
      await s.release();
    }
  });

  it('a server from before the field: still found, without engine words', async () => {
    const s = await startTestServer({ warmUp: false });
    try {
      const ready = (await (await fetch(`${s.url}/readyz`)).json()) as Record<string, unknown>;
      expect(ready.engine).toBeUndefined();
      expect(await findLocalServer(s.url)).toEqual({ url: s.url });
    } finally {
      await s.shutdown();
      await s.release();
    }
  });

  it('nothing listening: null', async () => {
    expect(await findLocalServer('http://127.0.0.1:9')).toBeNull();
  });
});
