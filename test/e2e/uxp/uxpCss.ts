/**
 * CSS that UXP does not render, as Adobe lists it (AdobeDocs/uxp-photoshop, src/pages/): the `font` shorthand,
 * text-transform, transitions and animations (uxp-api/known-issues.md, "CSS"), and generic font families
 * (uxp-api/reference-css/styles/font-family.md: "Does not support font families such as monospace, serif or
 * sans-serif"), and CSS grid (uxp-api/reference-css/styles/display.md: "Supports none, inline, block, inline-block,
 * flex, and inline-flex"; no grid-* page). Returns each offending declaration of a style sheet's text.
 */
const UNSUPPORTED_PROPERTIES = ['font', 'text-transform', 'transition', 'animation'];
const GENERIC_FAMILY =
  /^(serif|sans-serif|monospace|cursive|fantasy|system-ui|ui-serif|ui-sans-serif|ui-monospace|ui-rounded|math|emoji|fangsong)$/;

export function unsupportedCss(cssText: string): string[] {
  const text = cssText.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/([a-z-]+)\s*:\s*([^;{}]+)/g)) {
    const [prop, value] = [m[1], m[2].trim()];
    if (UNSUPPORTED_PROPERTIES.includes(prop) || prop.startsWith('grid')) out.push(`${prop}: ${value}`);
    if (prop === 'display' && /grid/.test(value)) out.push(`${prop}: ${value}`);
    if (
      prop === 'font-family' &&
      value.split(',').some((f) => GENERIC_FAMILY.test(f.trim().replace(/^['"]|['"]$/g, '')))
    )
      out.push(`${prop}: ${value}`);
  }
  return out;
}
