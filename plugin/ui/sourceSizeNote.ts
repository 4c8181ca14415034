/**
 * What fitting an image to the model's square does to one far from it: a tiny image is scaled up (the result is
 * soft), a huge or long one loses detail or its sides. Said once it is read, so the user is not surprised later.
 */
export function sourceSizeNote(width: number, height: number, resolution: number): string | undefined {
  const side = Math.min(width, height);
  const notes: string[] = [];
  if (side * 2 <= resolution)
    notes.push(
      `it is only ${width} x ${height} px and the model works at ${resolution} px, so it was scaled up and the result will be soft`,
    );
  else if (side >= resolution * 4)
    notes.push(
      `it is ${width} x ${height} px and the model works at ${resolution} px, so detail finer than ${Math.round(side / resolution)} px is not in the edit`,
    );
  if (Math.max(width, height) > side * 1.25) notes.push(`only its centred ${side} x ${side} px square is edited`);
  return notes.length ? `Note: ${notes.join('; ')}.` : undefined;
}
