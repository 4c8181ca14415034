import type { PickedCheckpoint } from '../../ui/hostPort';

/** Opens the page's file picker; null when the user cancels. */
export function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve(null);
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
