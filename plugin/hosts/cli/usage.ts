import { LIMITS } from '../../core/limits';
import { hyperParameterHelp, hyperParameterSynopsis } from './hyperParameterArgs';

/** Help texts, one per command; shown by --help and after a usage error. Made on each call: the drag settings' lines come from their table. */
const commandUsages = (): Readonly<Record<string, string>> => ({
  align: `usage: draggan align --image photo.png --landmarks face.json [--face N] [--model <dir> | --resolution N]
                     --out crop.png [--transform t.json] [--json]

Cuts a face out of a photo the way the FFHQ training set was made (eyes level, fixed scale and place, the borders
beyond the photo filled with its blurred, faded mirror), at the model's resolution, for invert and drag.
  --landmarks face.json  68 landmarks in the iBUG 300-W order, in the photo's pixels: a list of [x, y], an object
                         with "landmarks", or {"faces": [{"landmarks": [...]}, ...]} (draggan faces --json)
  --face N               which face of such a list (default 0)
  --model <dir>          take the resolution from this model (default: the bundled model)
  --resolution N         or give it (8 to 4096)
  --out crop.png         the aligned crop (PNG)
  --transform t.json     also write the alignment (aligned <-> photo pixels) for draggan composite
  --json                 print a JSON summary on stdout`,
  composite: `usage: draggan composite --image photo.png --transform t.json --reconstruction recon.png --edited edited.png
                         --out result.png [--mask-out mask.png] [--selection sel.png] [--json]

Puts a drag of an aligned face back into the full-size photo. The motion between the reconstruction and the edit
moves the photo's own pixels (its grain kept), only new content comes from the model, under a feathered mask of
what changed; every pixel outside it is the photo's, unchanged. The whole flow:
  draggan align --image photo.png --landmarks face.json --model M --out crop.png --transform t.json
  draggan invert --model M --image crop.png --out-latent w.npy --out-image recon.png
  draggan drag --model M --latent w.npy --point X,Y:TX,TY --out edited.png
  draggan composite --image photo.png --transform t.json --reconstruction recon.png --edited edited.png --out result.png
  --reconstruction recon.png  the model's image of the latent before the drag (invert --out-image)
  --edited edited.png         the model's image after the drag (drag --out)
  --selection sel.png         only where this photo-sized image is light may the photo change
  --mask-out mask.png         also write the mask the edit was blended with (grey, the photo's size)
  --json                      print a JSON summary (with the changed region's bounds) on stdout`,
  video: `usage: draggan video [--model <dir>] (--frames DIR | --gif clip.gif | --video clip.mp4) [--key N] --point X,Y:TX,TY [--point ...]
                     --out out.mp4 [--frames-out DIR] [--steps 60] [--invert-steps 200] [--warm-steps 50]
                     ${hyperParameterSynopsis(['steps'])}
                     [--ease] [--loop] [--backend cpu|cuda|wasm|wasm2] [--report r.json] [--json]

Applies one drag across a clip. Every frame is inverted (the key frame from scratch, then outward from it, each
from its neighbour nearer the key, far faster); the key frame's handles are carried to every frame by the model's features; the key frame is
dragged, and every other frame starts from its neighbour's edit and is dragged on to the same relative targets;
each frame's edit is then averaged with its neighbours' (about 2 frames each side), so the clip does not flicker.
Prints per frame the inversion's PSNR and seconds and how far each handle came (tracked by the model's features,
and by the landmark detector where the model has one for its frames, the bundled model's: the landmark nearest the
handle on the key frame, its move from each frame's input to its output along the drag; else n/a), then the
flicker (frame-to-frame change of the result over the input's), warm against cold inversion and seconds per frame.
  --frames DIR       the clip as PNG or JPEG frames, in name order; --gif clip.gif an animated GIF
  --video clip.mp4   an MP4 with H.264 Baseline video (as this tool writes them), every frame in order; for
                     other videos (High profile: most cameras and phones; HEVC; WebM) write the frames first,
                     e.g. ffmpeg -i in.mp4 DIR/%04d.png, and give --frames DIR
  --key N            the frame the points are on (default 0)
  --point X,Y:TX,TY  handle -> target in the model's pixels of the key frame's centred square
  --out out.mp4      the result as H.264 MP4, 10 frames a second; --frames-out DIR also as PNG frames, and the
                     work kept there as it is done: the same command run again after a stop goes on from there
  --steps N          drag steps per frame at most (default 60)
  --invert-steps N   the key frame's inversion steps (default 200); --warm-steps N each other frame's (50)
  --ease, --loop     eased timing with held ends; forward then back
${hyperParameterHelp(['steps'])}
  Ctrl-C stops after the current frame and writes the frames done.`,
  photo: `usage: draggan photo [--model <dir>] --image photo.jpg (--point X,Y:TX,TY ... | --preset NAME[:S] ...) --out edited.png
                     [--strength S] [--face N] [--invert-steps N | --time-limit 55]
                     ${hyperParameterSynopsis()}
                     [--crop-out crop.png] [--mask-out mask.png] [--report r.json]
                     [--backend cpu|cuda|wasm|wasm2] [--json]

Edits a photo in one go and writes it back at its own size: the model's framing of it (for a model whose
model.json says alignment "ffhq": the face found by the photo face finder, aligned as in FFHQ; otherwise the
centred square), inversion, the drag, and the composite that moves the photo's own pixels by what the edit
changed (only new content comes from the model; outside the changed region every pixel is the photo's).
  --point X,Y:TX,TY   handle -> target in the photo's pixels (x = column); it must fall inside the framed part
  --preset NAME[:S]   points placed from the face's landmarks (smile, open-mouth, close-eyes, raise-eyebrows,
                      turn-head-left, turn-head-right, slimmer-jaw, bigger-eyes), at strength S (0..1, default 1
                      or --strength); with an aligned face from its 68 landmarks, else from the model's own
                      landmark detector on the reconstruction (the bundled model's)
  --face N            which face (1 = the most confident; draggan faces --image lists them)
  --invert-steps N    inversion steps (default: as many as --time-limit seconds allow, 55 by default)
  --crop-out crop.png also write the model's edited image of the framed part
  --mask-out mask.png also write the blend mask (grey, the photo's size)
${hyperParameterHelp()}`,
  models: `usage: draggan models [list] [--json]
       draggan models info ID [--json]
       draggan models pull ID [--url URL] [--sha256 HEX] [--bytes N] [--force] [--retries 5] [--json]
       draggan models rm ID

The catalog of published StyleGAN models (docs/models.md): each one's size, licence and whether it may be used
commercially, whether this tool can import it, and whether it is installed in the models folder
($DRAGGAN_MODELS, else ~/.draggan/models; a model is the folder <models folder>/<ID>, for --model).
  list           every model: id, size, licence, commercial use, imports, installed, title
  info ID        one model's facts, licence terms, sources, and what the catalog could not verify
  pull ID        download (resumes after an interruption, retries a failing server), check the size and sha256
                 where known, import, install as <models folder>/<ID> (then --model ID works in every command);
                 a failure leaves no model folder behind
  rm ID          remove an installed model (and a partial download of it)
  --url URL      download from URL instead of the catalog's (a mirror); DRAGGAN_CATALOG_BASE=URL fetches
                 every model as URL/<file name>
  --sha256 HEX   the hash the download must have (when the catalog has none); --bytes N likewise its size
  --force        replace an installed model of the same id
  --retries N    retries of failed attempts in a row before giving up (default 5; an attempt that gains bytes
                 resets the count)`,
  invert: `usage: draggan invert [--model <dir>] --image in.png --out-latent w.npy [--out-image recon.png]
                      [--steps 300] [--time-limit 55] [--schedule fast|official] [--pti-out <dir> [--pti-steps 100]]
                      [--report r.json] [--backend cpu|cuda|wasm|wasm2] [--json]
       draggan invert [--model <dir>] --bench N [--limits 15,30,60,120] [--schedule fast|official] [--steps 300]
                      [--report r.json] [--json]

Finds the W+ latent whose image best matches a picture (GAN inversion), so a photo can be dragged. The picture
is cropped to its centred square (a portrait model's: its centred 1:2 box) and resized to the model's size; the
reconstruction's PSNR is reported.
  --image in.png         a JPEG or PNG (any bit depth, colour or grey, palette, alpha), at least 2x2, at most 50 megapixels
  --out-latent w.npy     the latent to write, [1, num_ws, w_dim] (draggan generate/drag --latent read it)
  --out-image recon.png  also write the reconstruction
  --steps N              optimisation steps at most (default 300: half in W, half refining in W+)
  --time-limit S         stop planning steps beyond S seconds (default 55; 0 = no limit, run every step)
  --schedule fast|official  fast (default): W+ stepped by L-BFGS instead of Adam (far closer in the same steps),
                         the start's image shown first, start candidates scored at 32 px (512 px models), the
                         plan fitted to the time limit from the start; official: the StyleGAN2-ADA projector's plan
  --pti-out <dir>        then pivotal tuning: fine-tune the generator's weights to this one image (the latent
                         held fixed) and write that per-image model; drag it with --model <dir> --latent w.npy
  --pti-steps N          pivotal-tuning steps (default 100)
  --report r.json        write psnr, seconds, steps (and the settings) as JSON
  --bench N              benchmark: invert the images of seeds 0..N-1 (psi 0.7) from their pixels alone under
                         each of --limits seconds with both schedules (or --schedule's), and print the PSNR and
                         seconds of each side by side; a limit written SCHEDULE:S runs that schedule only (e.g.
                         --limits 60,official:600: both at 60 s, and the official plan at 600 s beside them)
  --backend B            cpu (default), cuda (falls back to cpu), or wasm (onnxruntime-web, 1 thread)
  --json                 print a JSON summary on stdout`,
  import: `usage: draggan import <checkpoint.pkl> --out <dir> [--name NAME] [--alignment ffhq|none] [--force] [--json]

Converts an official StyleGAN2 checkpoint (a pickle from NVlabs stylegan2-ada-pytorch / stylegan3 / DragGAN)
into a model folder (model.json + weights.safetensors). Nothing in the pickle is executed.
  --out <dir>   the model folder to write; an existing non-empty folder needs --force
  --name NAME   the model's name in model.json (default: the checkpoint's file name)
  --alignment A how photos are framed for it: ffhq for models trained on FFHQ-aligned faces (FFHQ, and
                models fine-tuned from them), none for the rest (default: the centred square)
  --force       replace model.json and weights.safetensors in an existing folder
  --json        print a JSON summary on stdout`,
  generate: `usage: draggan generate [--model <dir>] (--seed N [--psi 0.7] | --latent w.npy) --out img.png
                        [--save-latent w.npy] [--backend cpu|cuda|wasm|wasm2] [--json]

Renders one image from a seed or a saved latent.
  --model <dir>        model folder, or the id of a model 'draggan models pull' installed (default: the bundled
                       model, models/bundled)
  --seed N             z = np.random.RandomState(N).randn(1, z_dim), as the official tools; N in 0..${LIMITS.seed.max}
  --psi P              truncation for --seed (default 0.7)
  --latent w.npy       a W+ latent [1, num_ws, w_dim] or one w [1, w_dim] (used for every layer)
  --out img.png        the image to write (PNG)
  --save-latent w.npy  also save the W+ latent used
  --backend B          cpu (default), cuda (falls back to cpu), or wasm (onnxruntime-web, 1 thread)
  --json               print a JSON summary on stdout`,
  drag: `usage: draggan drag [--model <dir>] (--seed N [--psi 0.7] | --latent w.npy | --image photo.png [--invert-steps N])
                    (--point X,Y:TX,TY [--point ...] | --preset NAME[:S] [--preset ...] [--strength S] [--preset-landmarks procedural|photo])
                    --out out.png [--mask mask.png]
                    ${hyperParameterSynopsis()}
                    [--backend cpu|cuda|wasm|wasm2|remote --endpoint URL [--token-file F] [--retry-seconds 30]]
                    [--save-latent w.npy]
                    [--frames DIR | [--gif out.gif] [--video out.mp4] [--ease] [--loop]]
                    [--frame-every K] [--report r.json] [--json]

Moves the content under each handle to its target (DragGAN), then writes the edited image.
  --image photo.png   a real image: cropped to its centred square (portrait models: 1:2), resized, inverted (GAN inversion, ~1 min), then dragged
  --point X,Y:TX,TY   a handle and its target, in pixels of the model's resolution (x = column); repeat for more
  --preset NAME[:S]   suggested pairs from the face's landmarks in the start image: smile, open-mouth, close-eyes,
                      raise-eyebrows, turn-head-left, turn-head-right (towards the picture's left/right), slimmer-jaw,
                      bigger-eyes; repeat for several, mix with --point; :S or --strength S (0..1, default 1) scales
                      the displacement. The pairs are printed and go in the report
  --preset-landmarks L
                      which landmarks place them: procedural (the bundled model's own detector, the default on it)
                      or photo (the photo face finder, the default on other models)
  --mask mask.png     the region that may change (white; PNG or JPEG), at the model's resolution; the rest is held fixed
${hyperParameterHelp()}
  --backend remote    run on a 'draggan serve' endpoint (--endpoint, repeat for replicas); --model is then
                      the id of a model it serves. The token: --token-file F or DRAGGAN_TOKEN (--token T shows in 'ps')
  --retry-seconds N   with --backend remote: how long a failing request is retried (default 30, enough for a
                      replica to restart); if the endpoint is still gone, the latent reached so far is saved
                      (--save-latent, or <out>.latent.npy) and the message says how to continue from it
  --save-latent w.npy the edited W+ latent
  --frames DIR        PNG frames every --frame-every steps (default 5); --gif out.gif the same as a GIF
  --video out.mp4     the same frames as an H.264 MP4 (10 frames a second), with --gif or alone
  --ease, --loop      for --gif and --video: --ease slows the motion in and out and holds the start and the
                      result; --loop plays it forward then back, so a looping player shows no jump
  --report r.json     every step's tracked points, loss and time, the stop reason and totals (and the presets' pairs)
  Ctrl-C stops the edit after the current step and still writes the outputs.`,
  bench: `usage: draggan bench [--model <dir> | --shape ffhq512] [--backend cpu|cuda|wasm|wasm2 ...] [--steps 5] [--torch]
                     [--official DIR] [--json]

Times one drag step (tracking + features forward + loss + backward + Adam) on each backend given, side by side:
median step time, first step, preview render, model load + graph build, peak resident memory.
  --shape ffhqN   random weights in the official FFHQ architecture at N px (no model files needed)
  --shape sg3tN   random weights in the official StyleGAN3-T (sg3rN: -R) architecture, N = 256 (FFHQ-U),
                  512 (AFHQv2) or 1024 (FFHQ-U, MetFaces-U)
  --backend B     repeat to compare backends in one run (default cpu)
  --torch         also time the official algorithm in PyTorch (/usr/bin/python3 with torch); --official DIR uses
                  the official networks_stylegan2.py from a checkout you have`,
  serve: `usage: draggan serve [--model <dir> ...] [--host 127.0.0.1] [--port 8080] [--token-file F] [--insecure]
                     [--allow-origin ORIGIN ...] [--backend cpu|cuda] [--concurrency 1] [--queue 8] [--time-limit 120]
                     [--max-body-mb 64] [--image-budget 256] [--body-timeout 60] [--max-connections 1024]
                     [--max-connections-per-client 32] [--drain 20] [--no-warmup]

Serves the engine over HTTP (protocol v1, docs/api/openapi.yaml): models, generate, invert, drag-steps, prepare. Requests
are stateless, so any number of replicas can sit behind one load balancer. Logs one JSON line per request on
stdout; SIGTERM finishes running work (up to --drain seconds), then stops.
  --model <dir>      a model folder (or an installed catalog id), repeatable; its id is the folder's name
                     (default: the bundled model)
  --host H           address to listen on (default 127.0.0.1); any other address needs a token, or --insecure
  --port N           port (default 8080; 0 picks a free one)
  --token-file F     the bearer token clients must send, read from a file; or set DRAGGAN_TOKEN. (--token T
                     also works, but every user of the machine can read it in 'ps')
  --insecure         serve a non-loopback address without a token: anyone who reaches the port may use it
  --allow-origin O   let web pages from origin O (e.g. https://example.com) call the server (CORS); repeatable;
                     '*' allows every page and needs a token. Without it, pages cannot call the server
  --backend B        cpu (default) or cuda (falls back to cpu)
  --concurrency N    requests worked on at once (default 1)
  --queue N          requests that may wait (default 8); more are answered 429 with Retry-After
  --time-limit S     per-request limit in seconds (default 120); a drag stopped by it returns its state so far
  --max-body-mb N    largest request body (default 64)
  --image-budget MB  memory one /v1/invert image may take decoded (default 256, a 16-megapixel RGBA16 PNG), read
                     from its header before decoding; larger ones are refused with 400, and images decoding or
                     held at once may take twice this (more wait: 429 with Retry-After)
  --body-timeout S   a request body must arrive within S seconds (default 60), with no pause over 10 s
  --max-connections N, --max-connections-per-client N
                     connections held at once, in all (default 1024) and per client address (default 32);
                     more are answered 503 and closed
  --drain S          on SIGTERM, how long running work may finish (default 20)
  --no-warmup        report ready without compiling the graphs first`,
  load: `usage: draggan load --endpoint URL [--endpoint URL ...] [--clients 20] [--seconds 60] [--token-file F]
                    [--model ID] [--steps 1] [--json]

A load benchmark of a DragGAN endpoint: each client sends drag-steps requests back to back, round-robin over
the endpoints, for the given time; prints p50/p95/p99 latency, throughput and the count of each status. Every
answer must be a success or a well-formed 429/503 (exit code 1 otherwise).
  --endpoint URL     server base URL, repeatable
  --token-file F     the endpoint's bearer token, read from a file; or set DRAGGAN_TOKEN (--token T shows in 'ps')
  --clients N        concurrent clients (default 20)
  --seconds S        duration (default 60)
  --model ID         model id (default: the first the endpoint lists)
  --steps N          drag steps per request (default 1)
  --json             print a JSON summary on stdout`,
  faces: `usage: draggan faces --image photo.jpg [--face-model photo|procedural] [--min-confidence 0.5] [--detector-size 416] [--backend cpu|cuda|wasm|wasm2] [--json]

Finds every face in a photo and its 68 landmarks (iBUG 300-W order: jaw 0-16, brows 17-26, nose 27-35, eyes
36-47, mouth 48-67), in the image's pixels (x = column, pixel centres at whole numbers). The models are
face-api's tiny face detector and 68-point landmark net (MIT, models/face-api), run on this project's runtime;
faces turned in the picture are measured again on a crop with the eyes level.
  --image photo.jpg     a JPEG or PNG, at most 50 megapixels
  --min-confidence C    the detector's score a face needs, between 0 and 1 (default 0.5)
  --detector-size N     the detector's input side, a multiple of 32 (default 416); larger finds smaller faces
  --backend B           cpu (default), cuda (falls back to cpu), or wasm (onnxruntime-web, 1 thread)
  --face-model M        photo (default): face-api's finder; procedural: the bundled model's own faces, its
                        landmark net searched over the picture (seconds; a progress bar), with its named points
  --json                print {command, image, width, height, seconds, faces: [{box, confidence, landmarks}]}`,
  eval: `usage: draggan eval landmarks [--model <dir>] [--pairs 50] [--points 1|5|all] [--seed 0]
                           [--detector detector.onnx] [--backend cpu|wasm] [--report r.json] [--json]
                           ${hyperParameterSynopsis(['method'])} [--method draggan,robust]
                           [--mask-radius R]

The paper's landmark manipulation benchmark (Table 1): for each pair of seeds, detect landmarks on both images,
drag the first image's landmarks to the second's with the model's default hyper-parameters (or the ones given),
detect again.
Prints md_before (no edit), md_after, their ratio, steps and seconds per edit, and the mean 8-bit change of the
pixels away from every point (drift), and the lost-handle rate (handles whose final tracked point is more than
3 px from where the detector finds their landmark). The detector defaults to models/landmarks/detector.onnx
(+ .json card).
${hyperParameterHelp(['method'])}
  --method a,b       each method on the same pairs, one line (or JSON object) per method (default: draggan)
  --mask-radius R    masked variant: only discs of R px around the handles and targets may change (lambda holds
                     the rest); drift is then measured outside the mask
  --report r.json    the summaries and every pair's figures, rewritten after each pair ("complete": false until
                     the run ends), so a long run that is stopped keeps what it measured`,
});

/** A command's help text; undefined for a command that does not exist. */
export function commandUsage(command: string): string | undefined {
  return commandUsages()[command];
}

export const MAIN_USAGE = `usage: draggan <command> [options]

DragGAN on StyleGAN2 generators, from the command line.

commands:
  import     convert an official StyleGAN2 .pkl checkpoint into a model folder
  generate   render an image from a seed or a latent
  invert     find the latent of a photo (GAN inversion), to drag it
  drag       move handle points to targets (DragGAN; or face presets: --preset smile) and write the edited image
  align      cut a face out of a photo as the FFHQ dataset did (from 68 landmarks), with the way back
  composite  put an edit of an aligned face back into the full-size photo, keeping the photo's own detail
  photo      edit a photo in one go: frame (align the face), invert, drag, and composite back at full size
  video      apply one drag across a clip (frames, a GIF or an MP4): carried to every frame, written as an MP4
  bench      time a drag step on each backend, side by side
  eval       the landmark manipulation benchmark of the DragGAN paper
  faces      find the faces in a photo and their 68 landmarks
  serve      serve the drag engine over HTTP (stateless, scales out behind a load balancer)
  load       load-test a drag server: latency percentiles, throughput, status counts
  models     the catalog of published models, their licences; pull (download + import) and rm them

'draggan <command> --help' shows a command's options.`;
