import { DRAG_SETTINGS, settingWhat, type DragSetting, type DragSettingName, type ModelShape } from './dragSettings';
import { outOfLimit } from './limit';

/**
 * The one check of a drag setting's value, against its entry in the table and, where the model is known, the
 * model's own bounds; says what to change, or undefined when the value is usable. Every place a value enters (the
 * CLI, the panel, the wire, model.json, a new edit) asks it, and nothing after that entry asks again.
 */
export function settingProblem(name: DragSettingName, value: unknown, model?: ModelShape): string | undefined {
  const s: DragSetting = DRAG_SETTINGS[name];
  if (s.kind === 'choice') {
    return typeof value === 'string' && s.values.includes(value)
      ? undefined
      : `${settingWhat(s)} must be ${s.values.join(' or ')}, got ${String(value)}`;
  }
  const outside = outOfLimit(s.limit, value);
  if (outside || !model || !s.modelMax) return outside;
  const max = s.modelMax(model);
  return (value as number) <= max
    ? undefined
    : `${s.limit.what} must be ${s.limit.min}..${max} for this model, got ${String(value)}`;
}
