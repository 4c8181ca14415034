import { FACE_MODEL_KINDS, type FaceModelKind } from '../../core/types';
import { isPresetName, PRESETS, presetDescription, type PresetRequest } from '../../faces/presets';
import { UsageError } from './args';

/** --preset-landmarks: which face finder places the pairs (model.json `face_model` by default). */
export type LandmarkChoice = FaceModelKind;
export const LANDMARK_CHOICES = FACE_MODEL_KINDS;

/** A strength: 0..1, the share of the preset's displacement. `what` names where it was given, for the message. */
function strengthOf(command: string, what: string, text: string): number {
  const s = Number(text);
  if (text.trim() === '' || !Number.isFinite(s) || s < 0 || s > 1)
    throw new UsageError(
      `${what} must be a number from 0 to 1 (the share of the preset's displacement), got '${text}'`,
      command,
    );
  return s;
}

/**
 * `--preset NAME[:STRENGTH]` (repeatable) and `--strength S` (0..1, for every preset without its own; default 1).
 * An empty list when no --preset was given, and then --strength is an error: it would silently do nothing.
 */
export function presetRequestsFromArgs(
  command: string,
  presets: readonly string[] | undefined,
  strength: string | undefined,
): PresetRequest[] {
  if (!presets?.length) {
    if (strength !== undefined) throw new UsageError('--strength goes with --preset NAME', command);
    return [];
  }
  const common = strength === undefined ? 1 : strengthOf(command, '--strength', strength);
  const seen = new Set<string>();
  return presets.map((text) => {
    const [name, own, ...extra] = text.trim().split(':');
    if (!isPresetName(name) || extra.length > 0) {
      throw new UsageError(
        `--preset '${text}' is not a preset; the presets: ${PRESETS.map((p) => `${p} (${presetDescription(p)})`).join(', ')}; add :0.5 for half the strength`,
        command,
      );
    }
    if (seen.has(name)) throw new UsageError(`--preset ${name} is given twice`, command);
    seen.add(name);
    return {
      preset: name,
      strength: own === undefined ? common : strengthOf(command, `the strength in --preset ${text}`, own),
    };
  });
}

export function landmarkChoiceFromArgs(command: string, text: string | undefined): LandmarkChoice | undefined {
  if (text === undefined) return undefined;
  const choice = LANDMARK_CHOICES.find((c) => c === text);
  if (choice === undefined)
    throw new UsageError(`--preset-landmarks must be ${LANDMARK_CHOICES.join(' or ')}, got '${text}'`, command);
  return choice;
}
