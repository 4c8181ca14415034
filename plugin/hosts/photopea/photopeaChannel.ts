/**
 * Photopea's plugin protocol: the page (in an iframe) posts a script string to the parent; Photopea runs it, posts
 * back anything the script sends (saveToOE -> ArrayBuffer, echoToOE -> string), then the string "done". Scripts
 * run one at a time, so replies are matched to scripts by order.
 */
import { UserFixableError } from '../../core/errors';

const NOT_IN_PHOTOPEA =
  "this page is a Photopea plugin; open it from Photopea (More > Plugins > Add plugin, with this page's URL) to read and write documents";

export type PhotopeaReply = string | ArrayBuffer;

export interface MessageTarget {
  postMessage(message: string, targetOrigin: string): void;
}

export interface MessageSource {
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
}

export class PhotopeaChannel {
  private queue: Promise<unknown> = Promise.resolve();
  private collecting: { replies: PhotopeaReply[]; done(r: PhotopeaReply[]): void } | null = null;

  /** `parent` is null when the page is not in a frame (opened on its own): every script then fails at once. */
  constructor(
    private readonly parent: MessageTarget | null,
    source: MessageSource,
    private readonly timeoutMs = 60_000,
  ) {
    source.addEventListener('message', (e) => this.onMessage(e));
  }

  private onMessage(e: MessageEvent): void {
    const c = this.collecting;
    if (!c) return;
    const d: unknown = e.data;
    if (d === 'done') {
      this.collecting = null;
      c.done(c.replies);
    } else if (typeof d === 'string' || d instanceof ArrayBuffer) c.replies.push(d);
    else if (ArrayBuffer.isView(d))
      c.replies.push(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer);
  }

  /** Runs a script in Photopea; resolves with its replies when Photopea says "done". */
  run(script: string): Promise<PhotopeaReply[]> {
    const parent = this.parent;
    if (!parent) return Promise.reject(new UserFixableError(NOT_IN_PHOTOPEA));
    const next = this.queue.then(
      () =>
        new Promise<PhotopeaReply[]>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.collecting = null;
            reject(new UserFixableError(`Photopea did not answer: ${NOT_IN_PHOTOPEA}`));
          }, this.timeoutMs);
          this.collecting = {
            replies: [],
            done: (r) => {
              clearTimeout(timer);
              resolve(r);
            },
          };
          parent.postMessage(script, '*');
        }),
    );
    this.queue = next.catch(() => undefined);
    return next;
  }
}
