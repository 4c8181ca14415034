/**
 * Where a page finds its model: `?model=<folder URL>` at run time, else the folder the build copied next to the
 * page (models/bundled when it exists at build time, the tiny test model until then).
 */
export const BUILT_MODEL_DIR = 'model/';

export function modelDirFromUrl(search: string): string {
  const v = new URLSearchParams(search).get('model');
  if (!v) return BUILT_MODEL_DIR;
  return v.endsWith('/') ? v : `${v}/`;
}
