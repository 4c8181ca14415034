/** JPEG input through jpeg-js (baseline and progressive, grey, RGB, CMYK), after the size limits are checked. */
import { decode } from 'jpeg-js';
import {
  checkImageSize,
  checkJpegData,
  DAMAGED_IMAGE,
  IMAGE_LIMITS,
  ImageHeaderError,
  readImageHeader,
} from '../../codecs/imageHeader';
import { ImageError } from './imageError';
import type { Raster8 } from './raster';

export class JpegError extends ImageError {
  constructor(message: string) {
    super(message.startsWith('invalid JPEG') ? message : `invalid JPEG: ${message}`);
    this.name = 'JpegError';
  }
}

/** Decodes a JPEG to 8-bit RGB. */
export function decodeJpeg(bytes: Uint8Array): Raster8 {
  try {
    const header = readImageHeader(bytes);
    if (header?.format !== 'jpeg') throw new JpegError('missing JPEG start-of-image marker (not a JPEG file)');
    checkImageSize(header);
    checkJpegData(header);
  } catch (e) {
    if (e instanceof ImageHeaderError) throw new JpegError(e.message);
    throw e;
  }
  try {
    // jpeg-js's own limits, as a second line behind the header check (which counts what it allocates)
    const img = decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      maxResolutionInMP: IMAGE_LIMITS.pixels / 1e6,
      maxMemoryUsageInMB: Math.ceil(IMAGE_LIMITS.decodedBytes / 2 ** 20),
    });
    return { width: img.width, height: img.height, channels: 3, data: img.data };
  } catch {
    // the decoder's own words ("marker was not found", "Cannot set properties of undefined") help no user
    throw new JpegError(
      `${DAMAGED_IMAGE} (the decoder could not read it); open it in an image editor and save it again as PNG or JPEG`,
    );
  }
}
