/** The two files of a model package folder (DESIGN.md, "Formats and contracts"). */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';

/**
 * Written into a model folder before an import writes its files and removed after: a folder that still has it holds
 * an import that was killed, which the loader refuses and the next import into it replaces.
 */
export const IMPORT_INCOMPLETE = '.draggan-import-incomplete';
