/** A model's image size for labels and the status line: "512 px" for a square, "256 x 512 px" for a portrait. */
export function sizeWords(m: { resolution: number; width?: number }): string {
  return m.width === undefined || m.width === m.resolution ? `${m.resolution} px` : `${m.width} x ${m.resolution} px`;
}
