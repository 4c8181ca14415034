/**
 * A decoded H.264 picture (8-bit 4:2:0, planar: Y, then U and V at half size) as RGBA, cropped to the video's size from
 * the top left (a decoder hands out whole 16-pixel macroblocks: 1080 lines come as 1088). BT.601 limited range, the
 * matrix h264-mp4-encoder writes with and the one decoders assume for a stream that names none.
 */
export function yuv420ToRgba(
  yuv: Uint8Array,
  codedWidth: number,
  codedHeight: number,
  width: number,
  height: number,
): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  const chromaWidth = codedWidth >> 1;
  const uPlane = codedWidth * codedHeight;
  const vPlane = uPlane + chromaWidth * (codedHeight >> 1);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = (y >> 1) * chromaWidth + (x >> 1);
      const l = 1.164 * (yuv[y * codedWidth + x] - 16);
      const u = yuv[uPlane + c] - 128;
      const v = yuv[vPlane + c] - 128;
      const o = (y * width + x) * 4;
      out[o] = clamp(l + 1.596 * v);
      out[o + 1] = clamp(l - 0.392 * u - 0.813 * v);
      out[o + 2] = clamp(l + 2.017 * u);
      out[o + 3] = 255;
    }
  }
  return out;
}
