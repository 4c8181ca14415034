import type { HostTensor } from '../../graph/tensor';
import type { PreviewKind, WirePreview } from '../../remote/protocol';
import { encodeTensor } from '../../remote/stateCodec';
import { encodeBase64 } from '../../remote/base64';
import { toRgba8 } from '../../stylegan2/imageConversion';
import { encodePng } from '../node/pngEncode';
import { dropAlpha } from '../node/raster';

/** A generator image as the preview a request asked for (PNG as the official conversion gives it, and/or floats). */
export function wirePreview(img: HostTensor, step: number, kind: PreviewKind): WirePreview | undefined {
  if (kind === 'none') return undefined;
  const [, , height, width] = img.shape;
  const p: WirePreview = { step, width, height };
  if (kind === 'png' || kind === 'both') {
    const rgba = toRgba8(img);
    p.png = encodeBase64(encodePng(dropAlpha(rgba.width, rgba.height, rgba.data)));
  }
  if (kind === 'f32' || kind === 'both') p.image = encodeTensor(img);
  return p;
}
