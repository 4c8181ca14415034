import { dragSettings, type DragHyperParameters, type ModelShape } from '../core/dragSettings';
import { settingProblem } from '../core/settingProblem';
import { WireError } from './wireError';
import { readObject } from './wireReader';

/** The drag settings as the wire spells them (each table entry's `wire` name). */
export function encodeSettings(hp: DragHyperParameters): Record<string, number | string> {
  const values = hp as Record<string, number | string | undefined>;
  const out: Record<string, number | string> = {};
  for (const [name, s] of dragSettings()) if (values[name] !== undefined) out[s.wire] = values[name];
  return out;
}

/**
 * Drag settings from untrusted JSON, each read by its table entry and checked once here, where it enters (with the
 * model's own bounds when the model is known). Unknown keys are refused; a missing required setting is an error,
 * or takes its value from `fill` (a reply from a server that predates the setting).
 */
export function decodeSettings(
  v: unknown,
  field: string,
  m?: ModelShape,
  fill?: DragHyperParameters,
  extra: readonly string[] = [],
): DragHyperParameters {
  const entries = dragSettings();
  const o = readObject(v, field, fill ? undefined : [...entries.map(([, s]) => s.wire), ...extra]);
  const out: Record<string, unknown> = {};
  for (const [name, s] of entries) {
    const x = o[s.wire];
    if (x === undefined) {
      if (fill && !s.optional) out[name] = fill[name];
      else if (!s.optional) throw new WireError(`${field}.${s.wire}`, 'is missing');
      continue;
    }
    const problem = settingProblem(name, x, m);
    if (problem) throw new WireError(`${field}.${s.wire}`, problem);
    out[name] = x;
  }
  return out as DragHyperParameters;
}
