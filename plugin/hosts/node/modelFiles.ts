/** The two files of a model package folder (DESIGN.md, "Formats and contracts"). */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.safetensors';
