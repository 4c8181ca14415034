/** The panel's host in a plain page: files in by picker or drop, results out as downloads. */
import { UserFixableError } from '../../core/errors';
import { zipArchive } from '../../codecs/zipArchive';
import { writeNpy } from '../../model/npy';
import type { EditResult, HostAction, HostClip, HostPort, HostSource } from '../../ui/hostPort';
import { encodePng } from '../../ui/pngDataUrl';
import { decodeClip } from './decodeClip';
import { decodeForModel } from './decodeImage';
import { download } from './download';
import { PagePort } from './pagePort';
import { pickFile, pickFiles } from './pickFile';

export class BrowserPort extends PagePort implements HostPort {
  readonly name = 'this page';
  readonly pageOrigin = globalThis.location?.origin;
  readonly applyLabel = 'Download PNG';
  readonly readSourceLabel = 'Open image…';
  /** A file dropped on the page, used by the next readSource instead of the picker. */
  dropped: File | null = null;
  private edits = 0;

  async readSource(resolution: number, modelWidth = resolution): Promise<HostSource> {
    const file = this.dropped ?? (await pickFile('image/*'));
    this.dropped = null;
    if (!file) throw new UserFixableError('no image was chosen');
    const { image, photo, width, height } = await decodeForModel(file, resolution, modelWidth, file.name);
    return { image, photo, label: `${file.name} (${width} x ${height})`, size: { width, height } };
  }

  /** A video file, or picture files as its frames in name order. */
  async readClip(
    resolution: number,
    modelWidth = resolution,
    onFrame?: (done: number, total: number) => void,
  ): Promise<HostClip> {
    const files = await pickFiles('video/*,image/*');
    if (files.length === 0) throw new UserFixableError('no video or frames were chosen');
    return decodeClip(files, resolution, modelWidth, onFrame);
  }

  async saveClip(video: Uint8Array): Promise<void> {
    download(video, 'draggan-clip.mp4', 'video/mp4');
  }

  /** The edit at the picture's size where it was made on a face cut out of it, else the model's square. */
  async apply(r: EditResult): Promise<void> {
    this.edits++;
    const image = r.inPhoto ? (await r.inPhoto()).image : r.image;
    download(encodePng(image), `draggan-edit-${this.edits}.png`, 'image/png');
  }

  readonly extraActions: readonly HostAction[] = [
    {
      id: 'latent',
      label: 'Download latent (.npy)',
      short: 'Latent',
      run: async (r) => download(writeNpy(r.latent), 'draggan-latent.npy', 'application/octet-stream'),
    },
    {
      id: 'video',
      label: 'Download video (.mp4)',
      short: 'Video',
      needsFrames: true,
      run: async (r) => {
        if (!r.video) throw new UserFixableError('no frames yet: frames are recorded during a drag');
        download(await r.video(), 'draggan-drag.mp4', 'video/mp4');
      },
    },
    {
      id: 'frames',
      label: 'Download frames (.zip)',
      short: 'Frames',
      needsFrames: true,
      run: async (r) => {
        if (r.frames.length === 0) throw new UserFixableError('no frames yet: frames are recorded during a drag');
        const now = new Date();
        download(
          zipArchive(
            r.frames.map((f, i) => ({
              name: `frame-${String(i).padStart(4, '0')}.png`,
              bytes: encodePng(f),
              modified: now,
            })),
          ),
          'draggan-frames.zip',
          'application/zip',
        );
      },
    },
  ];
}
