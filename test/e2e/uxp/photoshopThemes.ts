/**
 * Photoshop's four interface themes as the values of the `--uxp-host-*` variables it gives a panel
 * (AdobeDocs/uxp-photoshop src/pages/guides/theme-awareness/index.md names the variables and the four themes but
 * prints no values; these greys are the ones UXP tooling mirrors for Photoshop: **to check in Photoshop**), with the
 * colour scheme each reports to `prefers-color-scheme`. The harness gives them to the document's root.
 */
export type ThemeName = 'darkest' | 'dark' | 'light' | 'lightest';

export interface PhotoshopTheme {
  scheme: 'dark' | 'light';
  vars: Record<string, string>;
}

const common = {
  '--uxp-host-link-text-color': '#4b9cf5',
  '--uxp-host-font-size': '12px',
  '--uxp-host-font-size-smaller': '11px',
  '--uxp-host-font-size-larger': '14px',
};

export const PHOTOSHOP_THEMES: Record<ThemeName, PhotoshopTheme> = {
  darkest: {
    scheme: 'dark',
    vars: {
      ...common,
      '--uxp-host-background-color': '#292929',
      '--uxp-host-text-color': '#ffffff',
      '--uxp-host-text-color-secondary': '#9b9b9b',
      '--uxp-host-border-color': '#292929',
      '--uxp-host-widget-hover-background-color': '#3d3d3d',
      '--uxp-host-widget-hover-text-color': '#ffffff',
    },
  },
  dark: {
    scheme: 'dark',
    vars: {
      ...common,
      '--uxp-host-background-color': '#535353',
      '--uxp-host-text-color': '#ffffff',
      '--uxp-host-text-color-secondary': '#e5e5e5',
      '--uxp-host-border-color': '#454545',
      '--uxp-host-widget-hover-background-color': '#5b5b5b',
      '--uxp-host-widget-hover-text-color': '#ffffff',
    },
  },
  light: {
    scheme: 'light',
    vars: {
      ...common,
      '--uxp-host-background-color': '#b8b8b8',
      '--uxp-host-text-color': '#424242',
      '--uxp-host-text-color-secondary': '#424242',
      '--uxp-host-border-color': '#9c9c9c',
      '--uxp-host-widget-hover-background-color': '#9d9d9d',
      '--uxp-host-widget-hover-text-color': '#424242',
    },
  },
  lightest: {
    scheme: 'light',
    vars: {
      ...common,
      '--uxp-host-background-color': '#f0f0f0',
      '--uxp-host-text-color': '#4b4b4b',
      '--uxp-host-text-color-secondary': '#606060',
      '--uxp-host-border-color': '#d1d1d1',
      '--uxp-host-widget-hover-background-color': '#cecece',
      '--uxp-host-widget-hover-text-color': '#4b4b4b',
    },
  },
};

/** The theme as a style sheet giving its variables to the root element, where Photoshop puts them and the panel inherits them. */
export function hostThemeCss(vars: Record<string, string>): string {
  return `:root { ${Object.entries(vars)
    .map(([k, v]) => `${k}: ${v};`)
    .join(' ')} }`;
}
