/**
 * How a user starts the local engine (`draggan serve` on 127.0.0.1, package.json's `serve` script), said the same way
 * wherever the panel needs it: the in-panel engine cannot run here, a model is too large for it, none answers.
 */
export const START_LOCAL_ENGINE =
  "start the local engine (in a terminal, in DragGAN's folder: npm run build && npm run serve; see the README), then choose Local engine in Settings";
