import { readFileSync } from 'fs';
import { join } from 'path';
import { CATALOG } from '../../plugin/model/catalog/catalogData';
import { downloadUrls, findEntry } from '../../plugin/model/catalog/catalogLookup';
import type { CatalogEntry } from '../../plugin/model/catalog/catalogTypes';
import { importability } from '../../plugin/model/catalog/importability';
import { validateCatalog } from '../../plugin/model/catalog/validateCatalog';

/**
 * The catalog is well-formed, covers the lists it claims to (copied here from the primary sources, so a dropped
 * entry fails), and the validator catches each kind of malformed entry.
 */

// XingangPan/DragGAN scripts/download_models.json (336f120): car and cat come from a plain-http CloudFront mirror
// there; the catalog has NVIDIA's https origin of the same file names (NVlabs/stylegan2 README).
const DRAGGAN_DOWNLOAD_LIST = [
  'https://storage.googleapis.com/self-distilled-stylegan/lions_512_pytorch.pkl',
  'https://storage.googleapis.com/self-distilled-stylegan/dogs_1024_pytorch.pkl',
  'https://storage.googleapis.com/self-distilled-stylegan/horses_256_pytorch.pkl',
  'https://storage.googleapis.com/self-distilled-stylegan/elephants_512_pytorch.pkl',
  'https://api.ngc.nvidia.com/v2/models/nvidia/research/stylegan2/versions/1/files/stylegan2-ffhq-512x512.pkl',
  'https://api.ngc.nvidia.com/v2/models/nvidia/research/stylegan2/versions/1/files/stylegan2-afhqcat-512x512.pkl',
  'https://nvlabs-fi-cdn.nvidia.com/stylegan2/networks/stylegan2-car-config-f.pkl',
  'https://nvlabs-fi-cdn.nvidia.com/stylegan2/networks/stylegan2-cat-config-f.pkl',
];
// NVlabs/stylegan3 README (c233a91), the StyleGAN2 and StyleGAN3 NGC file lists
const NGC_STYLEGAN2 =
  'ffhq-1024x1024 ffhq-512x512 ffhq-256x256 ffhqu-1024x1024 ffhqu-256x256 metfaces-1024x1024 metfacesu-1024x1024 afhqv2-512x512 afhqcat-512x512 afhqdog-512x512 afhqwild-512x512 brecahad-512x512 cifar10-32x32 celebahq-256x256 lsundog-256x256';
const NGC_STYLEGAN3 =
  't-ffhq-1024x1024 t-ffhqu-1024x1024 t-ffhqu-256x256 r-ffhq-1024x1024 r-ffhqu-1024x1024 r-ffhqu-256x256 t-metfaces-1024x1024 t-metfacesu-1024x1024 r-metfaces-1024x1024 r-metfacesu-1024x1024 t-afhqv2-512x512 r-afhqv2-512x512';

const allUrls = new Set(CATALOG.flatMap((e) => e.urls));

test('every entry is well-formed: unique ids, https URLs, named licences, unknown facts admitted', () => {
  expect(validateCatalog(CATALOG)).toEqual([]);
  expect(CATALOG.length).toBeGreaterThanOrEqual(50);
});

test("the catalog covers DragGAN's download list, NVIDIA's NGC StyleGAN2/StyleGAN3 lists, StyleGAN-Human and LHQ", () => {
  for (const u of DRAGGAN_DOWNLOAD_LIST) expect(allUrls).toContain(u);
  for (const f of NGC_STYLEGAN2.split(' '))
    expect(allUrls).toContain(
      `https://api.ngc.nvidia.com/v2/models/nvidia/research/stylegan2/versions/1/files/stylegan2-${f}.pkl`,
    );
  for (const f of NGC_STYLEGAN3.split(' '))
    expect(allUrls).toContain(
      `https://api.ngc.nvidia.com/v2/models/nvidia/research/stylegan3/versions/1/files/stylegan3-${f}.pkl`,
    );
  for (const f of ['ffhq', 'metfaces', 'afhqcat', 'afhqdog', 'afhqwild', 'cifar10', 'brecahad'])
    expect(allUrls).toContain(`https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/${f}.pkl`);
  expect(CATALOG.filter((e) => e.set === 'stylegan-human')).toHaveLength(4);
  expect(findEntry('draggan-lhq').download).toBe('browser');
  // the entries DragGAN's own list and README point to are marked so
  expect(
    CATALOG.filter((e) => e.inDragGAN)
      .map((e) => e.id)
      .sort(),
  ).toEqual([
    'draggan-lhq',
    'sd-dogs-1024',
    'sd-elephants-512',
    'sd-horses-256',
    'sd-lions-512',
    'stylegan-human-v2-512',
    'stylegan2-afhqcat-512',
    'stylegan2-ffhq-512',
    'stylegan2-tf-car-512',
    'stylegan2-tf-cat-256',
  ]);
});

test("licences: the self-distilled models are CC-BY-4.0 (commercial use), NVIDIA's are non-commercial", () => {
  for (const e of CATALOG) {
    if (e.set === 'self-distilled') expect(e.licence).toMatchObject({ name: 'CC-BY-4.0', commercial: true });
    if (e.set.startsWith('nvidia-'))
      expect(e.licence).toMatchObject({ name: 'Nvidia Source Code License-NC', commercial: false });
  }
  // nothing stated is nothing granted
  expect(findEntry('stylegan-human-v2-1024').licence.commercial).toBe(false);
});

test("importability follows the importer's rules, with a reason and an alternative", () => {
  const why = (id: string) => {
    const r = importability(findEntry(id));
    return r.ok ? 'ok' : `${r.reason} / ${r.instead}`;
  };
  expect(why('sd-lions-512')).toBe('ok');
  expect(why('stylegan2-ffhq-1024')).toBe('ok');
  expect(why('stylegan2-tf-car-512')).toBe('ok');
  expect(why('stylegan2-tf-cat-256')).toBe('ok');
  expect(why('stylegan-human-v1-1024')).toMatch(/TensorFlow StyleGAN \(version 1\)/);
  expect(why('stylegan3-t-ffhq-1024')).toBe('ok');
  expect(why('stylegan3-r-afhqv2-512')).toBe('ok');
  expect(why('stylegan-human-v3-512')).toMatch(
    /256 x 512 generator: of non-square ones only StyleGAN2 models half as wide as tall/,
  );
  expect(why('stylegan-human-v2-1024')).toBe('ok');
  expect(why('stylegan-human-v2-512')).toBe('ok');
  expect(why('ada-cifar10-32')).toMatch(/32 px/);
  expect(why('draggan-lhq')).toMatch(/format is not stated/);
  const conditional: CatalogEntry = { ...findEntry('sd-lions-512'), conditional: true };
  expect(importability(conditional)).toMatchObject({ ok: false, reason: expect.stringMatching(/class-conditional/) });
});

test('the validator reports each kind of malformed entry', () => {
  const good = findEntry('sd-lions-512');
  const bad = (patch: Partial<CatalogEntry>, id = good.id) => validateCatalog([{ ...good, ...patch, id }]);
  expect(validateCatalog([good, { ...good }])).toEqual(
    expect.arrayContaining(['sd-lions-512: id is used twice', expect.stringMatching(/URL .* is also sd-lions-512's/)]),
  );
  expect(bad({}, 'Lions 512')).toEqual([expect.stringMatching(/id must be lower-case/)]);
  expect(bad({ urls: ['http://example.com/x.pkl'] })).toEqual([
    'sd-lions-512: URL is not https: http://example.com/x.pkl',
  ]);
  expect(bad({ urls: [] })).toEqual(['sd-lions-512: no download URL']);
  expect(bad({ unverified: ['sha256'] })).toEqual(['sd-lions-512: bytes is null but not listed as unverified']);
  expect(bad({ sha256: 'ABC' })).toEqual([expect.stringMatching(/sha256 must be 64 lower-case hex/)]);
  expect(bad({ licence: { name: ' ', url: 'https://x.org/', commercial: true } })).toEqual([
    'sd-lions-512: licence has no name',
  ]);
  expect(bad({ licence: { name: 'X', url: 'ftp://x.org/', commercial: true } })).toEqual([
    'sd-lions-512: licence URL is not https: ftp://x.org/',
  ]);
  expect(bad({ width: null, height: null })).toEqual(['sd-lions-512: resolution is null but not listed as unverified']);
  expect(bad({ format: 'unknown' })).toEqual(['sd-lions-512: format is unknown but not listed as unverified']);
  expect(bad({ sources: [] })).toEqual(['sd-lions-512: no source cited']);
  expect(bad({ fileName: '../x.pkl' })).toEqual([expect.stringMatching(/fileName must be a plain \.pkl file name/)]);
  expect(bad({ bytes: 12, unverified: ['sha256'] })).toEqual([]);
});

test("download URLs: the catalog's, or an override (--url, DRAGGAN_CATALOG_BASE)", () => {
  const e = findEntry('sd-lions-512');
  expect(downloadUrls(e)).toEqual(['https://storage.googleapis.com/self-distilled-stylegan/lions_512_pytorch.pkl']);
  expect(downloadUrls(e, { base: 'http://127.0.0.1:9/m/' })).toEqual(['http://127.0.0.1:9/m/lions_512_pytorch.pkl']);
  expect(downloadUrls(e, { url: 'http://127.0.0.1:9/a.pkl', base: 'http://x/' })).toEqual(['http://127.0.0.1:9/a.pkl']);
  expect(() => downloadUrls(e, { url: 'file:///etc/passwd' })).toThrow(/not an http\(s\) URL/);
});

test('docs/models.md lists every catalog entry with its licence and import verdict', () => {
  const doc = readFileSync(join(__dirname, '../../docs/models.md'), 'utf8');
  for (const e of CATALOG) {
    // the first cell, trimmed: Markdown tables may pad their cells
    const row = doc.split('\n').find((l) => l.split('|')[1]?.trim() === `\`${e.id}\``);
    expect(row).toBeDefined();
    const cells = row!.split('|').map((c) => c.trim());
    expect(cells[4]).toBe(e.licence.name);
    expect(cells[5]).toBe(e.licence.commercial ? 'yes' : 'no');
    expect(cells[8]).toBe(importability(e).ok ? 'yes' : 'no');
  }
});
