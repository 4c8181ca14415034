/**
 * Panel styles: plain CSS that UXP's renderer supports (no grid gaps in flex, no CSS variables from the host). UXP
 * does not support the `font` shorthand, text-transform, transitions or animations (uxp-api/known-issues.md, CSS)
 * nor generic font families such as sans-serif (uxp-api/reference-css/styles/font-family.md): named fonts only,
 * Adobe's UI font first. The UXP harness (test/e2e/uxpHarness.test.ts) checks it.
 */
import { css } from 'lit';

export const panelStyles = css`
  :host { display: block; font-family: 'Adobe Clean', 'Segoe UI', 'Helvetica Neue', Helvetica, Arial; font-size: 12px; line-height: 1.4; color: var(--dg-fg, #ddd); background: var(--dg-bg, #2d2d2d); padding: 8px; }
  .row { display: flex; flex-wrap: wrap; align-items: center; margin: 4px 0; }
  .row > * { margin: 2px 4px 2px 0; }
  button { font-family: inherit; font-size: inherit; padding: 3px 8px; border-radius: 4px; border: 1px solid #666; background: #444; color: inherit; cursor: pointer; }
  button.primary { background: #1473e6; border-color: #1473e6; color: white; }
  button[disabled] { opacity: 0.45; cursor: default; }
  /* a pressed toggle: lighter and outlined, text contrast above 4.5:1 (WCAG AA) */
  button.on { background: #555; border-color: #1473e6; }
  input[type='number'] { width: 64px; }
  input[type='text'], input[type='password'] { width: 200px; }
  select, input { font-family: inherit; font-size: inherit; }
  /* a square box whose height comes from a spacer (padding-top: 100% of the width; UXP has no aspect-ratio), not
     from the image: UXP images are 0x0 until a frame has rendered (uxp-api/known-issues.md) */
  .preview { position: relative; width: 100%; max-width: 512px; background: #1e1e1e; border: 1px solid #555; user-select: none; touch-action: none; }
  .preview .square { padding-top: 100%; }
  .preview .image, .preview .mask, .preview .overlay { position: absolute; left: 0; top: 0; width: 100%; height: 100%; }
  .preview .empty { position: absolute; left: 0; top: 45%; width: 100%; text-align: center; color: #999; }
  .overlay { cursor: crosshair; }
  .progress { height: 6px; background: #444; border-radius: 3px; overflow: hidden; width: 100%; max-width: 512px; }
  .progress > div { height: 100%; background: #1473e6; }
  .status { color: #aaa; min-height: 1.4em; }
  .error { color: #fff; background: #a22; padding: 4px 8px; border-radius: 4px; margin: 4px 0; max-width: 500px; }
  .history { display: flex; overflow-x: auto; margin: 4px 0; }
  .history .thumb { width: 48px; height: 48px; margin-right: 4px; padding: 0; border: 1px solid #666; cursor: pointer; }
  .history .thumb img { width: 100%; height: 100%; display: block; }
  .settings { border-top: 1px solid #555; margin-top: 6px; padding-top: 6px; }
  .settings label { display: block; margin: 3px 0; }
  .settings .grid { display: flex; flex-wrap: wrap; }
  .settings .grid label { width: 150px; margin-right: 8px; }
  .settings input, .settings select { margin-left: 4px; }
  h3 { font-size: 12px; margin: 8px 0 2px; color: #bbb; letter-spacing: 0.05em; }
`;
