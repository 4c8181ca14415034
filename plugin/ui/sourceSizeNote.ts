import { centredBox } from '../codecs/centredBox';

/**
 * What fitting an image to the model's square (or portrait box) does to one far from it: a tiny image is scaled up (the result is
 * soft), a huge or long one loses detail or its sides. Said once it is read, so the user is not surprised later.
 */
export function sourceSizeNote(
  width: number,
  height: number,
  resolution: number,
  modelWidth = resolution,
): string | undefined {
  // the part the model sees: the centred square, or a portrait model's centred W:H box
  const box = centredBox(width, height, modelWidth, resolution);
  const side = box.height;
  const size = modelWidth === resolution ? `${resolution} px` : `${modelWidth} x ${resolution} px`;
  const notes: string[] = [];
  if (side * 2 <= resolution)
    notes.push(
      `it is only ${width} x ${height} px and the model works at ${size}, so it was scaled up and the result will be soft`,
    );
  else if (side >= resolution * 4)
    notes.push(
      `it is ${width} x ${height} px and the model works at ${size}, so detail finer than ${Math.round(side / resolution)} px is not in the edit`,
    );
  if (width > box.width * 1.25 || height > box.height * 1.25)
    notes.push(
      `only its centred ${box.width} x ${box.height} px ${modelWidth === resolution ? 'square' : 'box'} is edited`,
    );
  return notes.length ? `Note: ${notes.join('; ')}.` : undefined;
}

/** The note on a source of `size` as a sentence to append to the status ('' when none, or the size is unknown). */
export function sizeSentence(
  size: { width: number; height: number } | undefined,
  resolution: number,
  modelWidth: number,
): string {
  const note = size && sourceSizeNote(size.width, size.height, resolution, modelWidth);
  return note ? `. ${note}` : '';
}
