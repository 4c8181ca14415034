/**
 * The model catalog: every published generator the official DragGAN opens or points to, and NVIDIA's StyleGAN2 /
 * StyleGAN2-ADA / StyleGAN3 sets. One data file; the small builders below only keep each set's shared facts in one
 * place. Every fact was read in the source cited above its set (repository files at the named commit); what no
 * source read here states is null or listed in the entry's `unverified`, never guessed.
 *
 * Not stated by any source read here, for any entry: the file size in bytes and a sha256 (NVIDIA's NGC pages and
 * the buckets' listings could not be reached from where this was written). So `bytes` and `sha256` are null and
 * `draggan models pull` checks a download by importing it (the importer refuses a truncated or damaged pickle).
 */
import type { Alignment, CatalogEntry, CatalogLicence, CheckpointFormat, UnverifiedFact } from './catalogTypes';

const gh = (repo: string, commit: string, path: string) => `https://github.com/${repo}/blob/${commit}/${path}`;

// XingangPan/DragGAN at 336f120 (2023-10-11): scripts/download_models.json (the eight files its download script
// fetches), README.md "Download pre-trained StyleGAN2 weights" (StyleGAN-Human and LHQ on Google Drive) and
// visualizer_drag.py (the NVIDIA StyleGAN2 list its GUI offers).
const DRAGGAN = 'XingangPan/DragGAN';
const DRAGGAN_AT = '336f120ce126aca6f55dc58537e76c10d19eabd0';
const DRAGGAN_LIST = gh(DRAGGAN, DRAGGAN_AT, 'scripts/download_models.json');
const DRAGGAN_README = gh(DRAGGAN, DRAGGAN_AT, 'README.md');

// NVIDIA's licence, by its repositories' README "License" sections; LICENSE.txt section 3.3: "The Work and any
// derivative works thereof only may be used or intended for use non-commercially ... 'non-commercially' means for
// research or evaluation purposes only." The READMEs name no separate licence for the networks.
const nvidia = (url: string): CatalogLicence => ({
  name: 'Nvidia Source Code License-NC',
  url,
  commercial: false,
  note: 'research or evaluation only (section 3.3); NVIDIA Research Licensing for business use',
});

// --- Self-distilled StyleGAN (Mokady et al. 2022) ---------------------------------------------------------------
// self-distilled-stylegan/self-distilled-internet-photos at cfdb6ef, README.md: the model tables ("weights are given
// for the official StyleGAN2 pytorch implementation", resolution in each file's description) and "Licenses": "The
// datasets ... and pre-trained models are made available under CC-BY-4.0 ... please give appropriate credit by
// citing our paper." Lions, dogs, horses, elephants are also in DragGAN's download list (renamed stylegan2_*.pkl).
const SD_README = gh(
  'self-distilled-stylegan/self-distilled-internet-photos',
  'cfdb6ef3bb51e977166342c163c6b773d309db6d',
  'README.md',
);
const CC_BY_4: CatalogLicence = {
  name: 'CC-BY-4.0',
  url: 'https://creativecommons.org/licenses/by/4.0/',
  commercial: true,
  note: 'give credit: cite "Self-Distilled StyleGAN: Towards Generation from Internet Photos" (Mokady et al. 2022)',
};
function selfDistilled(animal: string, title: string, res: number, inDragGAN: boolean): CatalogEntry {
  const fileName = `${animal}_${res}_pytorch.pkl`;
  return {
    id: `sd-${animal}-${res}`,
    title: `Self-distilled ${title} ${res}`,
    domain: title.toLowerCase(),
    set: 'self-distilled',
    width: res,
    height: res,
    urls: [`https://storage.googleapis.com/self-distilled-stylegan/${fileName}`],
    download: 'direct',
    fileName,
    bytes: null,
    sha256: null,
    licence: CC_BY_4,
    alignment: 'none',
    format: 'stylegan2-pytorch',
    conditional: false,
    inDragGAN,
    sources: inDragGAN ? [SD_README, DRAGGAN_LIST] : [SD_README],
    unverified: ['bytes', 'sha256'],
  };
}

// --- NVIDIA StyleGAN2 networks on NGC, for the stylegan3 codebase ----------------------------------------------
// NVlabs/stylegan3 at c233a91, README.md "StyleGAN2 pre-trained models ... compatible with this codebase": the file
// names under https://api.ngc.nvidia.com/v2/models/nvidia/research/stylegan2/versions/1/files/<MODEL>; its "License"
// section. ffhq-512 and afhqcat-512 are in DragGAN's download list; all are in its visualizer_drag.py.
// Alignment: FFHQ and MetFaces images were "automatically aligned and cropped using dlib" (NVlabs/ffhq-dataset and
// NVlabs/metfaces-dataset READMEs); the "unaligned FFHQ" (FFHQ-U) is made with --no-rotation --random-shift 0.2
// --no-padding (ffhq-dataset README), so FFHQ's recipe does not frame a photo for it.
const SG3 = 'NVlabs/stylegan3';
const SG3_AT = 'c233a919a6faee6e36a316ddd4eddababad1adf9';
const SG3_README = gh(SG3, SG3_AT, 'README.md');
const SG3_LICENCE = nvidia(gh(SG3, SG3_AT, 'LICENSE.txt'));
const FFHQ_README = gh('NVlabs/ffhq-dataset', '193deb624543e54d93b54a296fcfc9a68a3ed8ce', 'README.md');
const METFACES_README = gh('NVlabs/metfaces-dataset', '7eb7adf44c20957a9be8238c088f8dc72c7e2872', 'README.md');
const VISUALIZER = gh(DRAGGAN, DRAGGAN_AT, 'visualizer_drag.py');

interface Facts {
  domain: string;
  alignment?: Alignment;
  conditional?: boolean | null;
  unverified?: UnverifiedFact[];
  sources?: string[];
  note?: string;
}
const conditionalOf = (f: Facts) => (f.conditional === undefined ? false : f.conditional);

function ngc(
  family: 'stylegan2' | 'stylegan3',
  name: string,
  title: string,
  res: number,
  f: Facts & { inDragGAN?: boolean },
): CatalogEntry {
  const fileName = `${family}-${name}-${res}x${res}.pkl`;
  const extra = f.conditional === null ? ['conditional' as const] : [];
  return {
    id: `${family}-${name}-${res}`,
    title: `${family === 'stylegan2' ? 'StyleGAN2' : 'StyleGAN3'} ${title} ${res}`,
    domain: f.domain,
    set: `nvidia-${family}`,
    width: res,
    height: res,
    urls: [`https://api.ngc.nvidia.com/v2/models/nvidia/research/${family}/versions/1/files/${fileName}`],
    download: 'direct',
    fileName,
    bytes: null,
    sha256: null,
    licence: SG3_LICENCE,
    alignment: f.alignment ?? 'none',
    format: family === 'stylegan2' ? 'stylegan2-pytorch' : 'stylegan3-pytorch',
    conditional: conditionalOf(f),
    inDragGAN: f.inDragGAN ?? false,
    sources: [
      SG3_README,
      ...(family === 'stylegan2' ? [VISUALIZER] : []),
      ...(f.inDragGAN ? [DRAGGAN_LIST] : []),
      ...(f.sources ?? []),
    ],
    unverified: ['bytes', 'sha256', ...extra, ...(f.unverified ?? [])],
    ...(f.note ? { note: f.note } : {}),
  };
}

const FACES = 'human faces (FFHQ)';
const FACES_U = 'human faces, unaligned (FFHQ-U)';
const ART = 'faces in works of art (MetFaces)';
const ART_U = 'faces in works of art, unaligned (MetFaces-U)';
const ffhqAligned: Facts = { domain: FACES, alignment: 'ffhq', sources: [FFHQ_README] };
const ffhqU: Facts = { domain: FACES_U, sources: [FFHQ_README] };
const metfaces: Facts = { domain: ART, alignment: 'ffhq', sources: [METFACES_README] };
// no source read here says how MetFaces-U was cropped; by its name and FFHQ-U's recipe, not FFHQ's alignment
const metfacesU: Facts = { domain: ART_U, unverified: ['alignment'] };

const NGC_STYLEGAN2: CatalogEntry[] = [
  ngc('stylegan2', 'ffhq', 'FFHQ', 1024, ffhqAligned),
  ngc('stylegan2', 'ffhq', 'FFHQ', 512, { ...ffhqAligned, inDragGAN: true }),
  ngc('stylegan2', 'ffhq', 'FFHQ', 256, ffhqAligned),
  ngc('stylegan2', 'ffhqu', 'FFHQ-U', 1024, ffhqU),
  ngc('stylegan2', 'ffhqu', 'FFHQ-U', 256, ffhqU),
  ngc('stylegan2', 'metfaces', 'MetFaces', 1024, metfaces),
  ngc('stylegan2', 'metfacesu', 'MetFaces-U', 1024, metfacesU),
  ngc('stylegan2', 'afhqv2', 'AFHQv2', 512, { domain: 'animal faces: cats, dogs, wild animals (AFHQv2)' }),
  ngc('stylegan2', 'afhqcat', 'AFHQ Cat', 512, { domain: 'cat faces (AFHQ)', inDragGAN: true }),
  ngc('stylegan2', 'afhqdog', 'AFHQ Dog', 512, { domain: 'dog faces (AFHQ)' }),
  ngc('stylegan2', 'afhqwild', 'AFHQ Wild', 512, { domain: 'wild animal faces (AFHQ)' }),
  ngc('stylegan2', 'brecahad', 'BreCaHAD', 512, { domain: 'breast cancer histology (BreCaHAD)' }),
  ngc('stylegan2', 'cifar10', 'CIFAR-10', 32, { domain: 'CIFAR-10 classes', conditional: null }),
  // CelebA-HQ has its own crop (not FFHQ's recipe), which plugin/faces does not implement
  ngc('stylegan2', 'celebahq', 'CelebA-HQ', 256, {
    domain: 'celebrity faces (CelebA-HQ)',
    unverified: ['alignment'],
    note: 'trained on CelebA-HQ crops, not FFHQ-aligned faces',
  }),
  ngc('stylegan2', 'lsundog', 'LSUN Dog', 256, { domain: 'dogs (LSUN Dog)' }),
];

// --- NVIDIA StyleGAN3 networks on NGC (configs T and R) ---------------------------------------------------------
// NVlabs/stylegan3 at c233a91, README.md "StyleGAN3 pre-trained models for config T (translation equiv.) and config R
// (translation and rotation equiv.)", files under .../stylegan3/versions/1/files/<MODEL>. The official DragGAN runs
// them (it is built on this codebase); the importer here does not read StyleGAN3 yet.
const NGC_STYLEGAN3: CatalogEntry[] = (['t', 'r'] as const).flatMap((cfg) => {
  const c = cfg.toUpperCase();
  return [
    ngc('stylegan3', `${cfg}-ffhq`, `${c} FFHQ`, 1024, ffhqAligned),
    ngc('stylegan3', `${cfg}-ffhqu`, `${c} FFHQ-U`, 1024, ffhqU),
    ngc('stylegan3', `${cfg}-ffhqu`, `${c} FFHQ-U`, 256, ffhqU),
    ngc('stylegan3', `${cfg}-metfaces`, `${c} MetFaces`, 1024, metfaces),
    ngc('stylegan3', `${cfg}-metfacesu`, `${c} MetFaces-U`, 1024, metfacesU),
    ngc('stylegan3', `${cfg}-afhqv2`, `${c} AFHQv2`, 512, {
      domain: 'animal faces: cats, dogs, wild animals (AFHQv2)',
    }),
  ];
});

// --- StyleGAN2-ADA (PyTorch) pretrained networks -----------------------------------------------------------------
// NVlabs/stylegan2-ada-pytorch at d72cc7d, README.md: the table under https://nvlabs-fi-cdn.nvidia.com/
// stylegan2-ada-pytorch/pretrained/ ("ffhq.pkl | FFHQ at 1024x1024, trained using original StyleGAN2", "cifar10.pkl |
// Class-conditional CIFAR-10 at 32x32", ...) and its "License" section.
const ADA_AT = 'd72cc7d041b42ec8e806021a205ed9349f87c6a4';
const ADA_README = gh('NVlabs/stylegan2-ada-pytorch', ADA_AT, 'README.md');
const ADA_LICENCE = nvidia('https://nvlabs.github.io/stylegan2-ada-pytorch/license.html');
function ada(file: string, title: string, res: number, f: Facts): CatalogEntry {
  return {
    id: `ada-${file}-${res}`,
    title: `StyleGAN2-ADA ${title} ${res}`,
    domain: f.domain,
    set: 'nvidia-stylegan2-ada',
    width: res,
    height: res,
    urls: [`https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/${file}.pkl`],
    download: 'direct',
    fileName: `${file}.pkl`,
    bytes: null,
    sha256: null,
    licence: ADA_LICENCE,
    alignment: f.alignment ?? 'none',
    format: 'stylegan2-pytorch',
    conditional: conditionalOf(f),
    inDragGAN: false,
    sources: [ADA_README, ...(f.sources ?? [])],
    unverified: ['bytes', 'sha256', ...(f.unverified ?? [])],
  };
}
const ADA: CatalogEntry[] = [
  ada('ffhq', 'FFHQ', 1024, ffhqAligned),
  ada('metfaces', 'MetFaces', 1024, metfaces),
  ada('afhqcat', 'AFHQ Cat', 512, { domain: 'cat faces (AFHQ)' }),
  ada('afhqdog', 'AFHQ Dog', 512, { domain: 'dog faces (AFHQ)' }),
  ada('afhqwild', 'AFHQ Wild', 512, { domain: 'wild animal faces (AFHQ)' }),
  ada('cifar10', 'CIFAR-10', 32, { domain: 'CIFAR-10 classes', conditional: true }),
  ada('brecahad', 'BreCaHAD', 512, { domain: 'breast cancer histology (BreCaHAD)' }),
];

// --- TensorFlow-era StyleGAN2 config-f networks ------------------------------------------------------------------
// NVlabs/stylegan2 at bf0fe0b, README.md: "networks" at https://nvlabs-fi-cdn.nvidia.com/stylegan2/networks/ with
// "stylegan2-car-config-f.pkl | StyleGAN2 for LSUN Car dataset at 512x384", cat/church/horse at 256x256, FFHQ at
// 1024x1024; "License": Nvidia Source Code License-NC. DragGAN's list fetches car and cat from the plain-http mirror
// http://d36zk2xti64re0.cloudfront.net/stylegan2/networks/ (same file names); the https origin is listed here.
// The car network is built square (its resolution is one number in the TF code): 512 x 384 content in 512 x 512.
const TF_README = gh('NVlabs/stylegan2', 'bf0fe0baba9fc7039eae0cac575c1778be1ce3e3', 'README.md');
function tf(
  name: string,
  title: string,
  domain: string,
  res: number,
  inDragGAN: boolean,
  extra: Partial<CatalogEntry> = {},
): CatalogEntry {
  const fileName = `stylegan2-${name}-config-f.pkl`;
  return {
    id: `stylegan2-tf-${name}-${res}`,
    title: `StyleGAN2 (TensorFlow) ${title} ${res}`,
    domain,
    set: 'nvidia-stylegan2-tf',
    width: res,
    height: res,
    urls: [`https://nvlabs-fi-cdn.nvidia.com/stylegan2/networks/${fileName}`],
    download: 'direct',
    fileName,
    bytes: null,
    sha256: null,
    licence: nvidia('https://nvlabs.github.io/stylegan2/license.html'),
    alignment: name === 'ffhq' ? 'ffhq' : 'none',
    format: 'stylegan2-tf',
    conditional: false,
    inDragGAN,
    sources: [TF_README, ...(inDragGAN ? [DRAGGAN_LIST] : []), ...(name === 'ffhq' ? [FFHQ_README] : [])],
    unverified: ['bytes', 'sha256'],
    ...extra,
  };
}
const TF: CatalogEntry[] = [
  tf('ffhq', 'FFHQ', FACES, 1024, false),
  tf('car', 'LSUN Car', 'cars (LSUN Car)', 512, true, {
    content: { width: 512, height: 384 },
    note: 'the picture is 512 x 384 inside the 512 x 512 output',
  }),
  tf('cat', 'LSUN Cat', 'cats (LSUN Cat)', 256, true),
  tf('church', 'LSUN Church', 'churches (LSUN Church)', 256, false),
  tf('horse', 'LSUN Horse', 'horses (LSUN Horse)', 256, false),
];

// --- StyleGAN-Human (Fu et al. 2022) -------------------------------------------------------------------------------
// stylegan-human/StyleGAN-Human at a6a162a, README.md "Model Zoo" (Google Drive links; 1024x512 and 512x256 columns,
// StyleGAN1/2/3 rows) and generate.py (--version 1 loads with dnnlib.tflib: a TensorFlow pickle; 2 and 3 load
// G_ema from a persistence pickle); training_scripts/sg2/training/networks.py builds the constant input as
// [channels, resolution, resolution // 2]: the images are twice as tall as wide. The repository has no licence file;
// docs/Dataset.md: its training data SHHQ "is available for non-commercial research purposes only". DragGAN's README
// links the 512 x 256 StyleGAN2 model (the same Drive file).
const HUMAN_AT = 'a6a162a66ff539ea3070b7c4d391bf20932d2532';
const HUMAN_README = gh('stylegan-human/StyleGAN-Human', HUMAN_AT, 'README.md');
const HUMAN_LICENCE: CatalogLicence = {
  name: 'no licence stated',
  url: gh('stylegan-human/StyleGAN-Human', HUMAN_AT, 'docs/Dataset.md'),
  commercial: false,
  note: 'the repository states no licence for its models; their training data (SHHQ) is for non-commercial research only',
};
function human(
  version: 1 | 2 | 3,
  height: number,
  driveId: string,
  format: CheckpointFormat,
  inDragGAN: boolean,
): CatalogEntry {
  const fileName = `stylegan_human_v${version}_${height}.pkl`;
  return {
    id: `stylegan-human-v${version}-${height}`,
    title: `StyleGAN-Human v${version}, ${height / 2} wide x ${height} tall`,
    domain: 'full-body people, standing (SHHQ)',
    set: 'stylegan-human',
    width: height / 2,
    height,
    urls: [`https://drive.google.com/file/d/${driveId}/view?usp=sharing`],
    download: 'browser',
    fileName,
    bytes: null,
    sha256: null,
    licence: HUMAN_LICENCE,
    alignment: 'none',
    format,
    conditional: false,
    inDragGAN,
    sources: [
      HUMAN_README,
      gh('stylegan-human/StyleGAN-Human', HUMAN_AT, 'generate.py'),
      ...(inDragGAN ? [DRAGGAN_README] : []),
    ],
    unverified: ['bytes', 'sha256'],
    note: "aligned on the body centre by the project's own alignment.py, not on a face",
  };
}
const HUMAN: CatalogEntry[] = [
  human(1, 1024, '1h-R-IV-INGdPEzj4P9ml6JTEvihuNgLX', 'stylegan1-tf', false),
  human(2, 1024, '1FlAb1rYa0r_--Zj_ML8e6shmaF28hQb5', 'stylegan2-pytorch', false),
  human(2, 512, '1dlFEHbu-WzQWJl7nBBZYcTyo000H9hVm', 'stylegan2-pytorch', true),
  human(3, 512, '1_274jk_N6WSCkKWeu7hjHycqGvbuOFf5', 'stylegan3-pytorch', false),
];

// --- LHQ landscapes ------------------------------------------------------------------------------------------------
// XingangPan/DragGAN README.md links "the Landscapes HQ (LHQ) dataset" weights on Google Drive and says no more:
// resolution, format, file name and licence are not stated in any source read here.
const LHQ: CatalogEntry = {
  id: 'draggan-lhq',
  title: 'Landscapes HQ (LHQ), as linked by DragGAN',
  domain: 'landscapes (LHQ)',
  set: 'draggan-extra',
  width: null,
  height: null,
  urls: ['https://drive.google.com/file/d/16twEf0T9QINAEoMsWefoWiyhcTd-aiWc/view?usp=sharing'],
  download: 'browser',
  fileName: 'lhq.pkl',
  bytes: null,
  sha256: null,
  licence: {
    name: 'no licence stated',
    url: DRAGGAN_README,
    commercial: false,
    note: "DragGAN's README names no licence for this file",
  },
  alignment: 'none',
  format: 'unknown',
  conditional: null,
  inDragGAN: true,
  sources: [DRAGGAN_README],
  unverified: ['bytes', 'sha256', 'resolution', 'format', 'licence', 'conditional'],
  note: "the file name is ours: DragGAN's README gives only the Drive link",
};

const SELF_DISTILLED: CatalogEntry[] = [
  selfDistilled('lions', 'Lions', 512, true),
  selfDistilled('dogs', 'Dogs', 1024, true),
  selfDistilled('horses', 'Horses', 256, true),
  selfDistilled('elephants', 'Elephants', 512, true),
  selfDistilled('bicycles', 'Bicycles', 256, false),
  selfDistilled('giraffes', 'Giraffes', 512, false),
  selfDistilled('parrots', 'Parrots', 512, false),
];

/** The catalog, DragGAN's own download list first, then by set. */
export const CATALOG: readonly CatalogEntry[] = [
  ...SELF_DISTILLED,
  ...NGC_STYLEGAN2,
  ...TF,
  ...ADA,
  ...NGC_STYLEGAN3,
  ...HUMAN,
  LHQ,
];
