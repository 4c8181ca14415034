/** An image file the decoders refuse: unreadable, of an unknown format, or over a size limit. */
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}
