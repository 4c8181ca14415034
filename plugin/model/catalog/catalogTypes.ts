/**
 * The shape of one entry of the model catalog (catalogData.ts): a published generator checkpoint, where to get it,
 * what it may be used for and whether this project can read it. Facts come from the primary sources each entry
 * cites; a fact that could not be checked there is null or named in `unverified`, never guessed.
 */

/**
 * How the checkpoint is stored, which decides whether the importer can read it:
 * - `stylegan2-pytorch`: a torch_utils.persistence pickle of the stylegan2-ada-pytorch / stylegan3 repositories
 *   holding a StyleGAN2 G_ema (what plugin/model/importCheckpoint.ts reads);
 * - `stylegan3-pytorch`: the same kind of pickle holding a StyleGAN3 (alias-free, configs T and R) generator;
 * - `stylegan2-tf`: a TensorFlow-era pickle of dnnlib.tflib.Network states (NVlabs/stylegan2), converted on import;
 * - `stylegan1-tf`: a TensorFlow-era pickle of the first StyleGAN;
 * - `unknown`: no primary source read here says.
 */
export type CheckpointFormat = 'stylegan2-pytorch' | 'stylegan3-pytorch' | 'stylegan2-tf' | 'stylegan1-tf' | 'unknown';

/**
 * The framing a photo needs before it can be inverted into the model: `ffhq` is the FFHQ recipe (dlib landmarks,
 * the quad from eyes and mouth) that plugin/faces implements; `none` means no alignment (objects, scenes, or a face
 * model trained on unaligned crops).
 */
export type Alignment = 'ffhq' | 'none';

export interface CatalogLicence {
  /** The licence's name as its source states it, or what the source says when it states none. */
  readonly name: string;
  /** Where it is written (https). */
  readonly url: string;
  /** Whether it allows commercial use; false also when no licence is stated (nothing grants the right). */
  readonly commercial: boolean;
  /** Conditions a user must know: attribution, what the training data's terms say. */
  readonly note?: string;
}

/** The facts an entry may leave unchecked; each one listed is null or a best reading, said so to the user. */
export type UnverifiedFact = 'bytes' | 'sha256' | 'resolution' | 'format' | 'licence' | 'alignment' | 'conditional';

export interface CatalogEntry {
  /** Stable, lower-case, used on the command line and as the installed folder's name. */
  readonly id: string;
  readonly title: string;
  /** What it draws (its training set), shown before a user spends time on a photo it cannot draw. */
  readonly domain: string;
  /** Which published set it belongs to, for grouping in lists. */
  readonly set: string;
  /** Output width and height in pixels (null only when unverified). */
  readonly width: number | null;
  readonly height: number | null;
  /** Where the picture sits inside a larger output (the LSUN Car models: 512 x 384 content in a 512 x 512 output). */
  readonly content?: { readonly width: number; readonly height: number };
  /** Download locations, best first, all https. */
  readonly urls: readonly string[];
  /**
   * `direct`: a plain HTTP GET gives the file; `browser`: a page (Google Drive) that a program cannot download from
   * without scraping it, so the user downloads it and runs `draggan import`.
   */
  readonly download: 'direct' | 'browser';
  /** The file's name at its source. */
  readonly fileName: string;
  /** Size in bytes where a primary source states it. */
  readonly bytes: number | null;
  /** Lower-case hex sha256 where one is published. */
  readonly sha256: string | null;
  readonly licence: CatalogLicence;
  readonly alignment: Alignment;
  readonly format: CheckpointFormat;
  /** Class-conditional (c_dim > 0): the importer refuses these. null: not stated (then listed in `unverified`). */
  readonly conditional: boolean | null;
  /** In the official DragGAN's own download list or README (XingangPan/DragGAN). */
  readonly inDragGAN: boolean;
  /** The primary sources the entry's facts were read from (https URLs of repository files or pages). */
  readonly sources: readonly string[];
  readonly unverified: readonly UnverifiedFact[];
  readonly note?: string;
}
