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
  drag: `usage: draggan drag [--model <dir>] (--seed N [--psi 0.7] | --latent w.npy) --point X,Y:TX,TY [--point ...]
                    --out out.png [--mask mask.png] [--steps 300] [--lr LR] [--r1 R] [--r2 R] [--lambda L]
                    [--mode w+|w] [--backend cpu|cuda|wasm] [--save-latent w.npy] [--frames DIR | --gif out.gif]
                    [--frame-every K] [--report r.json] [--json]

Moves the content under each handle to its target (DragGAN), then writes the edited image.
  --point X,Y:TX,TY   a handle and its target, in pixels of the model's resolution (x = column); repeat for more
  --mask mask.png     the region that may change (white), at the model's resolution; the rest is held fixed
  --steps N           step cap (default 300); the edit stops earlier when every handle reaches its target
  --lr, --r1, --r2, --lambda   hyper-parameters (default: the model's; r1 and r2 are given at 512 px)
  --mode w+|w         optimise the first 6 W+ rows independently (default) or one shared w
  --save-latent w.npy the edited W+ latent
  --frames DIR        PNG frames every --frame-every steps (default 5); --gif out.gif the same as a GIF
  --report r.json     every step's tracked points, loss and time, the stop reason and totals
  Ctrl-C stops the edit after the current step and still writes the outputs.`,
  bench: `usage: draggan bench [--model <dir> | --shape ffhq512] [--backend cpu|cuda|wasm ...] [--steps 5] [--torch]
                     [--official DIR] [--json]

Times one drag step (tracking + features forward + loss + backward + Adam) on each backend given, side by side:
median step time, first step, preview render, model load + graph build, peak resident memory.
  --shape ffhqN   random weights in the official FFHQ architecture at N px (no model files needed)
  --backend B     repeat to compare backends in one run (default cpu)
  --torch         also time the official algorithm in PyTorch (/usr/bin/python3 with torch); --official DIR uses
                  the official networks_stylegan2.py from a checkout you have`,
};

export const MAIN_USAGE = `usage: draggan <command> [options]

DragGAN on StyleGAN2 generators, from the command line.

commands:
  import     convert an official StyleGAN2 .pkl checkpoint into a model folder
  generate   render an image from a seed or a latent
  drag       move handle points to targets (DragGAN) and write the edited image
  bench      time a drag step on each backend, side by side

'draggan <command> --help' shows a command's options.`;
