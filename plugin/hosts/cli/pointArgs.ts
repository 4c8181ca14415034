import type { HandleTarget } from '../../core/types';
import { UsageError } from './args';

const NUMBER = '(-?\\d+(?:\\.\\d+)?)';
const POINT = new RegExp(`^${NUMBER},${NUMBER}:${NUMBER},${NUMBER}$`);

/** `--point X,Y:TX,TY` (handle -> target, pixels of the model's resolution, x = column). */
export function parsePointArg(command: string, text: string): HandleTarget {
  const m = POINT.exec(text.replace(/\s+/g, ''));
  if (!m)
    throw new UsageError(
      `--point '${text}' is not X,Y:TX,TY (handle x,y then target x,y in pixels, e.g. --point 64,80:70,80)`,
      command,
    );
  const [x, y, tx, ty] = m.slice(1).map(Number);
  return { handle: { x, y }, target: { x: tx, y: ty } };
}
