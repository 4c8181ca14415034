/** The panel's host inside Photopea: reads the active document, adds results as layers. */
import type { EditResult, HostPort, HostSource, ModelEntry } from '../../ui/hostPort';
import { pngDataUrl } from '../../ui/pngDataUrl';
import { flattenOnWhite, resampleRgba, type Rgba } from '../../ui/rgba';
import type { Settings } from '../../ui/settings';
import { centreSquare } from '../browser/centreSquare';
import { decodeImage } from '../browser/decodeImage';
import { modelEntryAt } from '../browser/fetchModel';
import { pickCheckpointFile } from '../browser/pickFile';
import { loadStoredSettings, storeSettings } from '../browser/settingsStore';
import { openPageEngine, pageBackends } from '../browser/pageEngine';
import type { PhotopeaChannel } from './photopeaChannel';

/** Where the edited square sits in the document, so the result goes back over it at its size. */
interface Region {
  left: number;
  top: number;
  side: number;
}

export class PhotopeaPort implements HostPort {
  readonly name = 'Photopea';
  readonly applyLabel = 'Add as layer';
  readonly readSourceLabel = 'Use document';
  private region: Region | null = null;
  private edits = 0;

  constructor(
    private readonly channel: PhotopeaChannel,
    private readonly modelDir: string,
    private readonly decode: (png: Blob) => Promise<Rgba> = decodeImage,
  ) {}

  async listModels(): Promise<ModelEntry[]> {
    return [await modelEntryAt(this.modelDir)];
  }

  pickCheckpoint = pickCheckpointFile;

  localBackends = pageBackends;

  openEngine = openPageEngine;

  async readSource(resolution: number): Promise<HostSource> {
    const replies = await this.channel.run('app.activeDocument.saveToOE("png");');
    const png = replies.find((r): r is ArrayBuffer => r instanceof ArrayBuffer);
    if (!png) throw new Error('Photopea sent no image: open a document in Photopea first');
    const img = await this.decode(new Blob([png], { type: 'image/png' }));
    const side = Math.min(img.width, img.height);
    this.region = { left: Math.floor((img.width - side) / 2), top: Math.floor((img.height - side) / 2), side };
    return { image: centreSquare(flattenOnWhite(img), resolution), label: `the Photopea document (${img.width} x ${img.height})` };
  }

  async apply(r: EditResult): Promise<void> {
    const region = this.region ?? { left: 0, top: 0, side: r.image.width };
    const out = resampleRgba(r.image, region.side, region.side);
    this.edits++;
    // JSON.stringify makes the strings safe to embed in the script
    await this.channel.run(`app.open(${JSON.stringify(pngDataUrl(out))}, null, true);`);
    await this.channel.run(
      `var l = app.activeDocument.activeLayer; l.name = ${JSON.stringify(`DragGAN edit ${this.edits}`)}; ` +
        `l.translate(${region.left} - Number(l.bounds[0]), ${region.top} - Number(l.bounds[1]));`,
    );
  }

  loadSettings(): Partial<Settings> {
    return loadStoredSettings(globalThis.localStorage);
  }

  saveSettings(s: Settings): void {
    storeSettings(globalThis.localStorage, s);
  }
}
