/** The panel's host inside Photopea: reads the active document, adds results as layers. */
import { centredBox } from '../../codecs/centredBox';
import { resampleImage8 } from '../../codecs/image8';
import { UserFixableError } from '../../core/errors';
import type { EditResult, HostPort, HostSource } from '../../ui/hostPort';
import { pngDataUrl } from '../../ui/pngDataUrl';
import { decodeForModel } from '../browser/decodeImage';
import { PagePort } from '../browser/pagePort';
import type { PhotopeaChannel } from './photopeaChannel';

/** Where the edited box (a square, or a portrait model's W:H) sits in the document, so the result goes back over it at its size. */
interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

export class PhotopeaPort extends PagePort implements HostPort {
  readonly name = 'Photopea';
  readonly pageOrigin = globalThis.location?.origin;
  readonly applyLabel = 'Add as layer';
  readonly readSourceLabel = 'Use document';
  private region: Region | null = null;
  private edits = 0;

  constructor(
    private readonly channel: PhotopeaChannel,
    modelDir: string,
  ) {
    super(modelDir);
  }

  async readSource(resolution: number, modelWidth = resolution): Promise<HostSource> {
    const replies = await this.channel.run('app.activeDocument.saveToOE("png");');
    const png = replies.find((r): r is ArrayBuffer => r instanceof ArrayBuffer);
    if (!png) throw new UserFixableError('Photopea sent no image: open a document in Photopea first');
    const blob = new Blob([png], { type: 'image/png' });
    const { image, width, height, crop } = await decodeForModel(blob, resolution, modelWidth);
    this.region = { left: crop.x, top: crop.y, width: crop.width ?? crop.size, height: crop.size };
    return { image, label: `the Photopea document (${width} x ${height})`, size: { width, height } };
  }

  async apply(r: EditResult): Promise<void> {
    const region = this.region ?? { left: 0, top: 0, width: r.image.height, height: r.image.height };
    // the image goes over the box it was read from; a portrait model's over the centred box of its aspect in a
    // square read for another model, unstretched
    const box = centredBox(region.width, region.height, r.image.width, r.image.height);
    const out = resampleImage8(r.image, box.width, box.height);
    this.edits++;
    // JSON.stringify makes the strings safe to embed in the script
    await this.channel.run(`app.open(${JSON.stringify(pngDataUrl(out))}, null, true);`);
    await this.channel.run(
      `var l = app.activeDocument.activeLayer; l.name = ${JSON.stringify(`DragGAN edit ${this.edits}`)}; ` +
        `l.translate(${region.left + box.x} - Number(l.bounds[0]), ${region.top + box.y} - Number(l.bounds[1]));`,
    );
  }
}
