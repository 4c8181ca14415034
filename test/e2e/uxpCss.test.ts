/** The harness's CSS check (uxp/uxpCss.ts) on its own: it must catch each thing UXP does not render, and nothing else. */
import { unsupportedCss } from './uxp/uxpCss';

describe('the UXP CSS check', () => {
  test('flags what UXP does not render and passes what it does', () => {
    const bad = `:host { font: 12px Arial; font-family: 'Adobe Clean', sans-serif; text-transform: uppercase; }
      .a { display: grid; grid-template-columns: 1fr 1fr; transition: opacity 1s; }`;
    expect(unsupportedCss(bad)).toEqual([
      'font: 12px Arial',
      "font-family: 'Adobe Clean', sans-serif",
      'text-transform: uppercase',
      'display: grid',
      'grid-template-columns: 1fr 1fr',
      'transition: opacity 1s',
    ]);
    const good = `:host { --dg-bg: var(--uxp-host-background-color, #323232); display: flex; font-family: 'Adobe Clean', Arial; font-size: var(--dg-size); }
      @media (prefers-color-scheme: light) { :host { --dg-bg: #f0f0f0; } }
      button:hover { background: var(--dg-bg); } /* display: grid in a comment */`;
    expect(unsupportedCss(good)).toEqual([]);
  });
});
