/**
 * Ease and Loop beside the actions that play a drag's frames ("Download video", "Apply as animation"): how the frames
 * are timed, kept in the panel's settings (engine/frameTimeline.ts; the CLI's --ease and --loop).
 */
import { html, type TemplateResult } from 'lit';
import type { EditController } from '../editController';

export function timelineTemplate(edit: EditController): TemplateResult {
  const s = edit.settings;
  const checked = (e: Event) => (e.target as HTMLInputElement).checked;
  // one pair that wraps as a whole: at 300 px it sits beside "Apply as animation" (panelStyles.ts, .pair)
  return html`<span class="pair"><label title="Slow the motion in and out and hold the start and the result a moment"><input type="checkbox" data-testid="setting-ease" .checked=${s.ease}
      @change=${(e: Event) => edit.updateSettings({ ease: checked(e) })} /> Ease</label>
    <label title="Play forward then back, so a looping player shows no jump from the result to the start"><input type="checkbox" data-testid="setting-loop" .checked=${s.loop}
      @change=${(e: Event) => edit.updateSettings({ loop: checked(e) })} /> Loop</label></span>`;
}
