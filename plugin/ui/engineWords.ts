/**
 * Where the work runs, in words for the status line: "this computer's graphics card" rather than
 * "onnxruntime-web 1.30.0 (webgpu, …) in a Web Worker". Settings' "Running:" line keeps the full description.
 * An endpoint's description (remote endpoint / Local engine, with its URL) is already in words.
 */
export function engineWords(description: string): string {
  // the runtime's own description says what really runs (after any fallback): "onnxruntime-web 1.30.0 (wasm, 1 thread)"
  const runtime = /^onnxruntime-(web|node) [^(]*\((\w+)/.exec(description);
  if (!runtime) return description;
  const [, , device] = runtime;
  if (device === 'webgpu') return "this computer's graphics card";
  if (device === 'cuda') return "this computer's NVIDIA graphics card";
  return "this computer's processor";
}
