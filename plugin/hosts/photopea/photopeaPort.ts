/** The panel's host inside Photopea: reads the active document, adds results as layers. */
import { UserFixableError } from '../../engine/core/errors';
import type { EditResult, HostPort, HostSource, ModelEntry } from '../../ui/hostPort';
import { pngDataUrl } from '../../ui/pngDataUrl';
import { resampleRgba } from '../../ui/rgba';
import type { Settings } from '../../ui/settings';
import { decodeSquare } from '../browser/decodeImage';
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
  readonly pageOrigin = globalThis.location?.origin;
  readonly applyLabel = 'Add as layer';
  readonly readSourceLabel = 'Use document';
  private region: Region | null = null;
  private edits = 0;

  constructor(
    private readonly channel: PhotopeaChannel,
    private readonly modelDir: string,
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
    if (!png) throw new UserFixableError('Photopea sent no image: open a document in Photopea first');
    const { image, width, height } = await decodeSquare(new Blob([png], { type: 'image/png' }), resolution);
    const side = Math.min(width, height);
    this.region = { left: Math.floor((width - side) / 2), top: Math.floor((height - side) / 2), side };
    return { image, label: `the Photopea document (${width} x ${height})`, size: { width, height } };
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
    return loadStoredSettings(globalThis.localStorage, globalThis.sessionStorage);
  }

  saveSettings(s: Settings): void {
    storeSettings(globalThis.localStorage, s, globalThis.sessionStorage);
  }
}
