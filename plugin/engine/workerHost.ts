/**
 * The engine inside a Web Worker: answers a page's requests (workerProtocol.ts) with a local engine on
 * onnxruntime-web. One request runs at a time (one runtime, one thread); a cancel reaches the running one at once.
 */
import { PreviewBudget } from '../drag/previewBudget';
import { startRuntime, type ProviderFactories } from './backends';
import { yieldingRuntime } from '../runtime/yieldingRuntime';
import { localEngine, type LocalEngine } from './localEngine';
import { loadModelSource } from './modelSource';
import { failureOf, type FromWorker, type OpenReply, type ToWorker, type WorkerRequest } from './workerProtocol';
import { DragInputError } from '../core/errors';
import type { FaceFileReader } from './photoFaces';
import { encodeMp4, type H264EncoderFactory } from './mp4Encode';

/** The worker's global scope, as far as the engine uses it. */
export interface WorkerScope {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (e: { data: ToWorker }) => void): void;
}

/** One turn of the worker's event loop, without setTimeout's 4 ms clamp (a MessageChannel message is a task). */
function yieldToMessages(): Promise<void> {
  const Channel = (
    globalThis as {
      MessageChannel?: new () => {
        port1: { onmessage: (() => void) | null; close(): void };
        port2: { postMessage(m: null): void; close(): void };
      };
    }
  ).MessageChannel;
  if (!Channel) return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const ch = new Channel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      ch.port2.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/** The face models' files, fetched from the folder the page named. */
function fetchedFiles(base: string): FaceFileReader {
  const get = async (name: string): Promise<Response> => {
    const res = await fetch(new URL(name, base).href);
    if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
    return res;
  };
  return {
    text: async (name) => (await get(name)).text(),
    bytes: async (name) => new Uint8Array(await (await get(name)).arrayBuffer()),
  };
}

/**
 * `createH264Encoder`: h264-mp4-encoder's factory, handed in by the worker's entry (its web build is the host's
 * bundle to carry, not the engine's); without it the worker refuses to encode video.
 */
export function serveEngineInWorker(
  scope: WorkerScope,
  factories: ProviderFactories,
  createH264Encoder?: H264EncoderFactory,
): void {
  let engine: LocalEngine | undefined;
  const running = new Map<number, AbortController>();
  let queue: Promise<void> = Promise.resolve();

  const need = (): LocalEngine => {
    if (!engine) throw new DragInputError('the engine has no model yet');
    return engine;
  };

  async function handle(id: number, req: WorkerRequest, signal: AbortSignal): Promise<unknown> {
    const post = (event: Extract<FromWorker, { event: unknown }>['event']) => scope.postMessage({ id, event });
    switch (req.op) {
      case 'open': {
        await engine?.release();
        engine = undefined;
        const pkg = await loadModelSource(req.source);
        const { runtime, notes } = await startRuntime(req.backend, factories);
        // between graph runs the worker reads its messages, so a Stop reaches a running drag or inversion
        const faceFiles = req.faces === undefined ? undefined : fetchedFiles(req.faces);
        engine = localEngine(pkg, yieldingRuntime(runtime, yieldToMessages), {
          notes,
          where: 'in a Web Worker',
          faceFiles,
        });
        const reply: OpenReply = {
          description: engine.description,
          notes: [...engine.notes],
          model: engine.model,
          canTune: engine.tune !== undefined,
          canFindFaces: engine.findFaces !== undefined,
        };
        return reply;
      }
      case 'generate':
        return need().generate(req.seed, req.psi);
      case 'render':
        return need().render(req.latent);
      case 'invert':
        return need().invert(req.image, {
          steps: req.steps,
          timeBudgetSeconds: req.timeBudgetSeconds,
          schedule: req.schedule,
          startLatent: req.startLatent,
          signal,
          onProgress: (progress) => post({ kind: 'progress', progress }),
        });
      case 'track':
        // a local engine always tracks (Engine.track is optional only for remote ones)
        return need().track!(req.from, req.points, req.to, { near: req.near, radius: req.radius });
      case 'prepareDrag':
        return need().prepareDrag(req.handles, req.masked, req.hp);
      case 'tune': {
        const tune = need().tune;
        if (!tune) throw new DragInputError('this engine cannot tune the generator');
        return tune(req.latent, req.image, {
          steps: req.steps,
          signal,
          onProgress: (progress) => post({ kind: 'progress', progress }),
        });
      }
      case 'drag': {
        const session = await need().resumeDrag(req.state);
        const result = await session.run({
          signal,
          steps: req.steps,
          previewEvery: req.previewEvery,
          previewBudget: req.paced ? new PreviewBudget() : undefined,
          // each step carries the state it reached, so a Stop on the page keeps it without waiting for this reply
          onStep: (report) => post({ kind: 'step', report, state: session.snapshot() }),
          // converted here, so the page's thread receives an image ready to show
          onPreviewImage: req.preview ? (image, step) => post({ kind: 'preview', image, step }) : undefined,
        });
        return { state: session.snapshot(), result };
      }
      case 'faces': {
        const find = need().findFaces;
        if (!find) throw new DragInputError('this engine has no face models');
        return find(req.photo, { signal, onProgress: (progress) => post({ kind: 'faceSearch', progress }) });
      }
      case 'composite':
        return need().composite!(req.photo, req.toPhoto, req.reconstruction, req.edited);
      case 'encodeVideo': {
        if (!createH264Encoder) throw new DragInputError('this worker has no video encoder');
        const [first] = req.frames;
        if (!first) throw new DragInputError('no frames to encode: frames are recorded during a drag');
        return encodeMp4(
          createH264Encoder,
          req.frames.map((f) => f.data),
          first.width,
          first.height,
        );
      }
      case 'release':
        await engine?.release();
        engine = undefined;
        return undefined;
    }
  }

  scope.addEventListener('message', (e) => {
    const msg = e.data;
    if (msg.op === 'cancel') {
      running.get(msg.id)?.abort();
      return;
    }
    const ac = new AbortController();
    running.set(msg.id, ac);
    queue = queue.then(async () => {
      try {
        scope.postMessage({ id: msg.id, ok: true, value: await handle(msg.id, msg, ac.signal) });
      } catch (err) {
        scope.postMessage({ id: msg.id, ok: false, error: failureOf(err) });
      } finally {
        running.delete(msg.id);
      }
    });
  });
}
