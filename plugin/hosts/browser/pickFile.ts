import type { PickedCheckpoint } from '../../ui/hostPort';

/** Opens the page's file picker; null when the user cancels. */
export async function pickFile(accept: string): Promise<File | null> {
  return (await pickFiles(accept, false))[0] ?? null;
}

/** Opens the page's file picker, for several files where `multiple`; none when the user cancels. */
export function pickFiles(accept: string, multiple = true): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.multiple = multiple;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(Array.from(input.files ?? []));
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve([]);
      input.remove();
    });
    document.body.appendChild(input);
    input.click();
  });
}

/**
 * A StyleGAN2 .pkl the user picks (the page and the Photopea panel both import checkpoints this way): the File
 * itself, not its bytes. It reaches the engine worker without a copy, and the import reads it there a slice at a time
 * (Blob.slice), never whole.
 */
export async function pickCheckpointFile(): Promise<PickedCheckpoint | null> {
  const f = await pickFile('.pkl');
  return f && { name: f.name, file: f };
}
