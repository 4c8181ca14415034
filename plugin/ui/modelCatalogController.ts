/**
 * "Get models…": the model catalog as the panel shows it, with each model's licence and whether it opens here
 * before anything is downloaded; a download with progress and Cancel into the host's storage; removal. Installed
 * models reach the model picker through `modelsChanged` (the edit controller re-reads the host's list).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { CATALOG } from '../model/catalog/catalogData';
import { downloadUrls } from '../model/catalog/catalogLookup';
import type { CatalogEntry } from '../model/catalog/catalogTypes';
import { importability } from '../model/catalog/importability';
import { DownloadStopped, DownloadUnreachable } from '../model/download/downloadError';
import { pullToStorage } from '../model/download/pullToStorage';
import type { CatalogHost } from './catalogHost';
import { explainError } from './explainError';

/** Whether a model opens in this host (with a caution the host may add), and if not, why and what to do instead. */
export type Opens =
  | { readonly ok: true; readonly caution?: string }
  | { readonly ok: false; readonly why: string; readonly instead: string };

export interface CatalogRow {
  readonly entry: CatalogEntry;
  readonly installed: boolean;
  readonly opens: Opens;
}

export interface CatalogDownload {
  readonly id: string;
  done: number;
  total: number | null;
  importing: boolean;
}

/** Tells the model picker: with the picker's id of a model just installed, which it then opens. */
export type ModelsChanged = (installedPickerId?: string) => Promise<void>;

export class ModelCatalogController implements ReactiveController {
  open = false;
  rows: CatalogRow[] = [];
  download: CatalogDownload | null = null;
  status = '';
  error: string | null = null;
  /** The model the error is about: it is shown in that model's row, where the user clicked. */
  errorId: string | null = null;
  private stopAsked = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly catalog: CatalogHost,
    private readonly modelsChanged: ModelsChanged,
    private readonly entries: readonly CatalogEntry[] = CATALOG,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  private update(): void {
    this.host.requestUpdate();
  }

  /** What opens here: the importer's rules, a page a program cannot download from, then the host's own caution. */
  opens(e: CatalogEntry): Opens {
    const imp = importability(e);
    if (!imp.ok) return { ok: false, why: imp.reason, instead: imp.instead };
    if (e.download === 'browser') {
      return {
        ok: false,
        why: `it is published as a web page (${e.urls[0]}) that a program cannot download from`,
        instead: `open it in a browser, save ${e.fileName}, then use Import .pkl`,
      };
    }
    const caution = this.catalog.caution?.(e) ?? null;
    return caution === null ? { ok: true } : { ok: true, caution };
  }

  async show(): Promise<void> {
    this.open = true;
    this.error = null;
    await this.refresh();
  }

  hide(): void {
    this.open = false;
    this.update();
  }

  private async refresh(): Promise<void> {
    const installed = new Set(await this.catalog.storage.installed().catch(() => []));
    this.rows = this.entries.map((entry) => ({ entry, installed: installed.has(entry.id), opens: this.opens(entry) }));
    this.update();
  }

  /** Downloads, checks, imports and installs one model; a stopped download keeps its bytes and resumes next time. */
  async get(id: string): Promise<void> {
    const row = this.rows.find((r) => r.entry.id === id);
    if (!row || this.download || !row.opens.ok) return;
    const e = row.entry;
    const { mirror, retryDelayMs, chunkBytes } = this.catalog.overrides ?? {};
    const urls = downloadUrls(e, { base: mirror });
    this.download = {
      id,
      done: await this.catalog.storage.partial(id, e.fileName).size(),
      total: e.bytes,
      importing: false,
    };
    this.stopAsked = false;
    this.error = null;
    this.status = `Downloading ${e.title}…`;
    this.update();
    try {
      await pullToStorage({
        entry: e,
        urls,
        storage: this.catalog.storage,
        fetch: this.catalog.fetch,
        ...(chunkBytes !== undefined ? { chunkBytes } : {}),
        ...(retryDelayMs !== undefined ? { retryDelayMs: (n: number) => retryDelayMs * 2 ** (n - 1) } : {}),
        cancelled: () => this.stopAsked,
        onProgress: (done, total) => {
          if (this.download) Object.assign(this.download, { done, total });
          this.update();
        },
        onNote: (text) => {
          this.status = `${e.title}: ${text}`;
          this.update();
        },
        onImport: () => {
          if (this.download) this.download.importing = true;
          this.status = `Importing ${e.title}…`;
          this.update();
        },
      });
      this.status = `${e.title} is installed and open in the model list`;
      this.download = null;
      await this.refresh();
      await this.modelsChanged(this.catalog.pickerId(id));
    } catch (err) {
      if (err instanceof DownloadStopped) this.status = `Cancelled: ${err.message}`;
      else {
        const help = err instanceof DownloadUnreachable ? this.catalog.unreachableHelp?.(e, urls[0]) : undefined;
        this.error = `${explainError(err, `Downloading ${e.title}`)}${help ? ` ${help}` : ''}`;
        this.errorId = id;
        this.status = '';
      }
    } finally {
      this.download = null;
      this.update();
    }
  }

  /** Stops the download after the range in flight (UXP's fetch cannot be aborted); its bytes are kept. */
  cancel(): void {
    this.stopAsked = true;
    this.status = 'Cancelling after the part in flight…';
    this.update();
  }

  async remove(id: string): Promise<void> {
    const row = this.rows.find((r) => r.entry.id === id);
    if (!row || this.download) return;
    this.error = null;
    try {
      await this.catalog.storage.remove(id);
      // the picker lets go of the model before its row offers Download again: shown the other way round, the row
      // said "removed" while the picker still listed (and could open) the deleted model
      await this.modelsChanged();
      this.status = `${row.entry.title} was removed`;
      await this.refresh();
    } catch (err) {
      this.error = explainError(err, `Removing ${row.entry.title}`);
      this.errorId = id;
      this.update();
    }
  }
}
