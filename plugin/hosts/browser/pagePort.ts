/**
 * What the two page hosts (the plain page and the Photopea page) share: the model served beside the page, the
 * page's engines (a Web Worker), checkpoints from a file picker, and the settings in the page's storage.
 * Each host adds how images come in and go out.
 */
import type { ModelEntry } from '../../ui/hostPort';
import type { Settings } from '../../ui/settings';
import { modelEntryAt } from './fetchModel';
import { openPageEngine, pageBackends } from './pageEngine';
import { pickCheckpointFile } from './pickFile';
import { loadStoredSettings, storeSettings } from './settingsStore';

export abstract class PagePort {
  constructor(private readonly modelDir: string) {}

  async listModels(): Promise<ModelEntry[]> {
    return [await modelEntryAt(this.modelDir)];
  }

  pickCheckpoint = pickCheckpointFile;

  localBackends = pageBackends;

  openEngine = openPageEngine;

  loadSettings(): Partial<Settings> {
    return loadStoredSettings(globalThis.localStorage, globalThis.sessionStorage);
  }

  saveSettings(s: Settings): void {
    storeSettings(globalThis.localStorage, s, globalThis.sessionStorage);
  }
}
