/**
 * Panel styles: plain CSS that UXP's renderer supports. UXP does not support the `font` shorthand, text-transform,
 * transitions or animations (uxp-api/known-issues.md, CSS) nor generic font families such as sans-serif
 * (uxp-api/reference-css/styles/font-family.md): named fonts only, Adobe's UI font first; no CSS grid. The UXP
 * harness (test/e2e/uxpHarness.test.ts) checks it.
 *
 * Colours and sizes follow the host (issue 21, native look). Photoshop gives panels its theme as CSS variables
 * (AdobeDocs/uxp-photoshop src/pages/guides/theme-awareness/index.md: --uxp-host-background-color, -text-color,
 * -text-color-secondary, -border-color, -link-text-color, -widget-hover-*, -font-size, -font-size-smaller), and the
 * `prefers-color-scheme` media query (src/pages/uxp-api/reference-css/Media Queries/prefers-color-scheme.md) says
 * whether that theme is light or dark. Every colour here is a --dg-* property: the host's variable where Photoshop has
 * one, else a Photoshop grey for the scheme, which is also what web and Photopea pages (no host variables) get.
 * The fallbacks keep WCAG AA contrast (test/e2e/accessibility.test.ts runs axe-core in both schemes).
 *
 * Layout: the panel is a column whose body scrolls and whose action bar (Run / Stop / Apply, progress, status) stays
 * at the bottom, so Run and Apply are on screen at Photoshop's minimum panel size (300 x 420) — flex, overflow-y and
 * min-height only (UXP's style reference documents them; it has no page for position: sticky).
 */
import { css } from 'lit';

export const panelStyles = css`
  :host {
    --dg-bg: var(--uxp-host-background-color, #323232);
    --dg-fg: var(--uxp-host-text-color, #e6e6e6);
    --dg-fg-2: var(--uxp-host-text-color-secondary, #b3b3b3);
    --dg-border: var(--uxp-host-border-color, #5a5a5a);
    --dg-hover-bg: var(--uxp-host-widget-hover-background-color, #454545);
    --dg-hover-fg: var(--uxp-host-widget-hover-text-color, #ffffff);
    --dg-focus: var(--uxp-host-link-text-color, #4b9cf5);
    --dg-well: #1e1e1e;
    --dg-pressed: #4a4a4a;
    --dg-accent: #1473e6;
    --dg-size: var(--uxp-host-font-size, 12px);
    --dg-size-small: var(--uxp-host-font-size-smaller, 11px);
    color-scheme: dark;
    display: flex; flex-direction: column; height: 100%; box-sizing: border-box;
    font-family: 'Adobe Clean', 'Segoe UI', 'Helvetica Neue', Helvetica, Arial; font-size: var(--dg-size); line-height: 1.4;
    color: var(--dg-fg); background: var(--dg-bg);
  }
  @media (prefers-color-scheme: light) {
    :host {
      --dg-bg: var(--uxp-host-background-color, #f0f0f0);
      --dg-fg: var(--uxp-host-text-color, #2c2c2c);
      --dg-fg-2: var(--uxp-host-text-color-secondary, #4b4b4b);
      --dg-border: var(--uxp-host-border-color, #b3b3b3);
      --dg-hover-bg: var(--uxp-host-widget-hover-background-color, #e1e1e1);
      --dg-hover-fg: var(--uxp-host-widget-hover-text-color, #000000);
      --dg-focus: var(--uxp-host-link-text-color, #1473e6);
      --dg-well: #d9d9d9;
      --dg-pressed: #d0d0d0;
      color-scheme: light;
    }
  }
  .body { flex: 1 1 auto; min-height: 0; overflow-y: auto; padding: 6px 8px; }
  .actions { flex: 0 0 auto; padding: 4px 8px 6px; border-top: 1px solid var(--dg-border); background: var(--dg-bg); }
  .actions .row { margin: 2px 0; }
  /* narrower buttons and "Undo" for "Undo drag": at 300 px the bar takes two rows, Run to Apply on the first */
  .actions button { padding: 2px 6px; }
  /* an action's short words (HostAction.short) where its full label would push the bar to three rows */
  .narrow { display: none; }
  @media (max-width: 520px) {
    .wide { display: none; }
    .narrow { display: inline; }
  }
  /* Ease and Loop stay side by side (UXP documents flex-wrap: reference-css/styles/flex-wrap.md) */
  .pair { display: flex; flex-wrap: nowrap; align-items: center; }
  .pair > label { margin-right: 6px; }
  .row { display: flex; flex-wrap: wrap; align-items: center; margin: 4px 0; }
  .row > * { margin: 2px 4px 2px 0; }
  button { font-family: inherit; font-size: inherit; padding: 2px 8px; min-height: 22px; border-radius: 4px; border: 1px solid var(--dg-border); background: var(--dg-bg); color: var(--dg-fg); cursor: pointer; }
  button:hover { background: var(--dg-hover-bg); color: var(--dg-hover-fg); }
  button:focus { border-color: var(--dg-focus); }
  button.primary, button.primary:hover { background: var(--dg-accent); border-color: var(--dg-accent); color: #ffffff; }
  button[disabled], button[disabled]:hover { opacity: 0.45; cursor: default; background: var(--dg-bg); color: var(--dg-fg); }
  button.primary[disabled] { background: var(--dg-accent); color: #ffffff; }
  /* a pressed toggle: a filled, outlined button; its text keeps AA contrast on the fill in both schemes */
  button.on, button.on:hover { background: var(--dg-pressed); border-color: var(--dg-accent); color: var(--dg-fg); }
  input[type='number'] { width: 64px; }
  /* a seed has up to 10 digits (uint32), all of them visible */
  input[type='number'].seed { width: 104px; }
  input[type='text'], input[type='password'] { width: 200px; }
  select, input { font-family: inherit; font-size: inherit; }
  /* a long model name must not widen a 300 px panel */
  select { max-width: 100%; }
  /* a square box whose height comes from a spacer (padding-top: 100% of the width; UXP has no aspect-ratio), not
     from the image: UXP images are 0x0 until a frame has rendered (uxp-api/known-issues.md) */
  video.clip { width: 128px; height: 128px; background: var(--dg-well); border: 1px solid var(--dg-border); }
  .preview { position: relative; width: 100%; max-width: 512px; background: var(--dg-well); border: 1px solid var(--dg-border); user-select: none; touch-action: none; }
  .preview:focus { border-color: var(--dg-focus); outline: 1px solid var(--dg-focus); }
  .preview .square { padding-top: 100%; }
  .preview .image, .preview .mask, .preview .overlay, .preview .hit { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
  .preview .empty { position: absolute; left: 0; top: 45%; width: 100%; text-align: center; color: var(--dg-fg-2); }
  /* read by screen readers, not shown (no clip in UXP's style reference: moved off the box instead) */
  .sr-only { position: absolute; left: 0; top: 0; width: 1px; height: 1px; overflow: hidden; opacity: 0; }
  .preview { cursor: crosshair; }
  .progress { height: 4px; background: var(--dg-border); border-radius: 2px; overflow: hidden; width: 100%; margin: 2px 0; }
  .progress > div { height: 100%; background: var(--dg-accent); }
  .status { color: var(--dg-fg-2); font-size: var(--dg-size-small); min-height: 1.4em; }
  .error { color: #ffffff; background: #a22222; padding: 4px 8px; border-radius: 4px; margin: 4px 0; max-height: 6em; overflow-y: auto; }
  .confirm { border: 1px solid var(--dg-focus); border-radius: 4px; padding: 4px 8px; margin: 4px 0; }
  .history { display: flex; overflow-x: auto; margin: 4px 0; }
  .history .thumb { width: 48px; height: 48px; margin-right: 4px; padding: 0; border: 1px solid var(--dg-border); cursor: pointer; }
  .history .thumb img { width: 100%; height: 100%; display: block; }
  .settings { border-top: 1px solid var(--dg-border); margin-top: 6px; padding-top: 6px; }
  .settings label { display: block; margin: 3px 0; }
  .settings .grid { display: flex; flex-wrap: wrap; }
  .settings .grid label { width: 150px; margin-right: 8px; }
  .settings input, .settings select { margin-left: 4px; }
  .catalog { border-top: 1px solid var(--dg-border); margin-top: 6px; padding-top: 4px; }
  .catalog ul { list-style: none; margin: 0; padding: 0; }
  .catalog .model { border-bottom: 1px solid var(--dg-border); padding: 4px 0; }
  .catalog .title { font-weight: bold; }
  .catalog .note, .catalog .installed { color: var(--dg-fg-2); }
  .catalog .cannot { color: var(--dg-fg-2); }
  .catalog a { color: var(--dg-focus); }
  h3 { font-size: var(--dg-size); margin: 8px 0 2px; color: var(--dg-fg-2); letter-spacing: 0.05em; }
`;
