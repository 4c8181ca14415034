/** Help texts, one per command; shown by --help and after a usage error. */
export const COMMAND_USAGE: Readonly<Record<string, string>> = {
  import: `usage: draggan import <checkpoint.pkl> --out <dir> [--name NAME] [--force] [--json]

Converts an official StyleGAN2 checkpoint (a pickle from NVlabs stylegan2-ada-pytorch / stylegan3 / DragGAN)
into a model folder (model.json + weights.safetensors). Nothing in the pickle is executed.
  --out <dir>   the model folder to write; an existing non-empty folder needs --force
  --name NAME   the model's name in model.json (default: the checkpoint's file name)
  --force       replace model.json and weights.safetensors in an existing folder
  --json        print a JSON summary on stdout`,
  generate: `usage: draggan generate [--model <dir>] (--seed N [--psi 0.7] | --latent w.npy) --out img.png
                        [--save-latent w.npy] [--backend cpu|cuda|wasm] [--json]

Renders one image from a seed or a saved latent.
  --model <dir>        model folder (default: the bundled model, models/bundled)
  --seed N             z = np.random.RandomState(N).randn(1, z_dim), as the official tools; N in 0..4294967295
  --psi P              truncation for --seed (default 0.7)
  --latent w.npy       a W+ latent [1, num_ws, w_dim] or one w [1, w_dim] (used for every layer)
  --out img.png        the image to write (PNG)
  --save-latent w.npy  also save the W+ latent used
  --backend B          cpu (default), cuda (falls back to cpu), or wasm (onnxruntime-web, 1 thread)
  --json               print a JSON summary on stdout`,
};

export const MAIN_USAGE = `usage: draggan <command> [options]

DragGAN on StyleGAN2 generators, from the command line.

commands:
  import     convert an official StyleGAN2 .pkl checkpoint into a model folder
  generate   render an image from a seed or a latent

'draggan <command> --help' shows a command's options.`;
