/**
 * Catalog models in the plugin's data folder (Adobe: FileSystemProvider.getDataFolder, "a folder that can be used
 * for extension's data storage without user interaction", persistent across upgrades). A download grows in
 * `downloads/ID--FILE.partial` by File.write(data, {format: binary, append: true}) (persistent-file-storage/file.md),
 * so it survives a closed panel or a restart and resumes from its size (Entry.getMetadata().size). The imported
 * model is written to the hidden folder `models/.ID.partial` and renamed to `models/ID` with Folder.renameEntry
 * (folder.md) only when whole; listSavedModels offers `models/ID` like an imported .pkl. Removal deletes the files
 * and then the folder (Entry.delete: "If the entry is a folder, it must be empty before deletion").
 */
import { storage } from 'uxp';
import { DownloadError } from '../../model/download/downloadError';
import type { ModelStorage, PartialDownload } from '../../model/download/modelStorage';
import { serializeModelPackage } from '../../model/modelPackage';
import { dataSubfolder, MODELS_FOLDER, writeModelFolder, type EntryLike, type WritableFolder } from './uxpFiles';
import { uxpByteSource, type PickedFile } from './uxpByteSource';
import { uxpFs } from './uxpFs';

const DOWNLOADS_FOLDER = 'downloads';

interface DataFile extends PickedFile {
  write(data: ArrayBuffer, options: { format: symbol; append?: boolean }): Promise<unknown>;
  delete(): Promise<unknown>;
}

interface RenamingFolder extends WritableFolder {
  renameEntry(entry: unknown, newName: string, options?: { overwrite?: boolean }): Promise<void>;
}

async function child(folder: WritableFolder, name: string): Promise<(EntryLike & Record<string, unknown>) | undefined> {
  return ((await folder.getEntries()) as (EntryLike & Record<string, unknown>)[]).find((e) => e.name === name);
}

/** Deletes a file, or a folder after its contents (a folder must be empty before Entry.delete). */
async function deleteEntry(entry: unknown): Promise<void> {
  const e = entry as EntryLike & { delete(): Promise<unknown>; getEntries?(): Promise<unknown[]> };
  if (e.isFolder && e.getEntries) for (const inner of await e.getEntries()) await deleteEntry(inner);
  await e.delete();
}

function writeProblem(e: unknown, what: string): DownloadError {
  return new DownloadError(
    `cannot write ${what} in the plugin's data folder (${e instanceof Error ? e.message : String(e)}): free some disk space and download again`,
  );
}

function partialIn(name: string): PartialDownload {
  const file = async () => {
    const folder = await dataSubfolder(DOWNLOADS_FOLDER, false);
    return folder ? ((await child(folder, name)) as unknown as DataFile | undefined) : undefined;
  };
  return {
    async size() {
      const size = (await (await file())?.getMetadata?.())?.size;
      return typeof size === 'number' ? size : 0;
    },
    async append(bytes) {
      const folder = await dataSubfolder(DOWNLOADS_FOLDER, true);
      if (!folder) throw new Error("the plugin's downloads folder could not be made");
      const target = (await file()) ?? ((await folder.createFile(name, { overwrite: false })) as DataFile);
      try {
        await target.write(bytes.slice().buffer, { format: storage.formats.binary, append: true });
      } catch (e) {
        throw writeProblem(e, name);
      }
    },
    async clear() {
      const f = await file();
      if (f) await f.delete();
    },
    async source() {
      const f = await file();
      if (!f) throw new Error(`the download ${name} is gone`);
      return uxpByteSource(f, uxpFs, storage.formats.binary);
    },
  };
}

export function uxpModelStorage(): ModelStorage {
  return {
    partial: (id, fileName) => partialIn(`${id}--${fileName}.partial`),
    async install(id, pkg) {
      const models = (await dataSubfolder(MODELS_FOLDER, true)) as RenamingFolder | undefined;
      if (!models) throw new Error("the plugin's models folder could not be made");
      const staging = `.${id}.partial`;
      const left = await child(models, staging);
      if (left) await deleteEntry(left);
      try {
        await writeModelFolder(models, staging, serializeModelPackage(pkg));
      } catch (e) {
        const half = await child(models, staging);
        if (half) await deleteEntry(half).catch(() => undefined);
        throw writeProblem(e, `models/${id}`);
      }
      const old = await child(models, id);
      if (old) await deleteEntry(old);
      await models.renameEntry(await child(models, staging), id);
    },
    async installed() {
      const models = await dataSubfolder(MODELS_FOLDER, false);
      if (!models) return [];
      return ((await models.getEntries()) as EntryLike[])
        .filter((e) => e.isFolder && !e.name.startsWith('.'))
        .map((e) => e.name);
    },
    async remove(id) {
      const models = await dataSubfolder(MODELS_FOLDER, false);
      const dir = models && (await child(models, id));
      if (dir) await deleteEntry(dir);
      const downloads = await dataSubfolder(DOWNLOADS_FOLDER, false);
      for (const e of downloads ? ((await downloads.getEntries()) as EntryLike[]) : [])
        if (e.name.startsWith(`${id}--`)) await deleteEntry(e);
    },
  };
}
