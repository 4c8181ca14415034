/** Frames per second a drag's timeline plays at, in a GIF, a video and a Photoshop frame animation. */
export const VIDEO_FPS = 10;

/** How a drag's frames are played back in a GIF, a video or a frame animation. */
export interface TimelineOptions {
  /** Slow in and out (the drag's progress on an ease-in-out curve) with the start and the result held a moment. */
  ease: boolean;
  /** Forward then back, so a player that loops shows no jump from the result to the start. */
  loop: boolean;
}

/** Output frames the start and the result are held for, with `ease`: half a second at the usual rate. */
export const HOLD_FRAMES = 6;

/**
 * The drag's frames (0 .. n-1, in step order) to show, one per output frame at a fixed rate. Plain: each once.
 * Eased: as many frames, but spaced on t -> 3t^2 - 2t^3, so the motion starts and ends gently.
 */
export function frameTimeline(n: number, o: TimelineOptions): number[] {
  if (n <= 1) return n === 1 ? [0] : [];
  let order = Array.from({ length: n }, (_, i) => i);
  if (o.ease) {
    const eased = order.map((i) => {
      const t = i / (n - 1);
      return Math.round((3 * t * t - 2 * t * t * t) * (n - 1));
    });
    order = [...Array<number>(HOLD_FRAMES).fill(0), ...eased, ...Array<number>(HOLD_FRAMES).fill(n - 1)];
  }
  return o.loop ? [...order, ...order.slice(1, -1).reverse()] : order;
}

/** The frames in the order they are shown, one per output frame at VIDEO_FPS. */
export function playedFrames<T>(frames: readonly T[], o: TimelineOptions): T[] {
  return frameTimeline(frames.length, o).map((i) => frames[i]);
}
