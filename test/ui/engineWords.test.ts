/** The status line names where the work runs in words, from what really runs (after any fallback). */
import { engineWords } from '../../plugin/ui/engineWords';

test.each([
  ['onnxruntime-web 1.30.0 (wasm, 1 thread) in the panel', "this computer's processor"],
  ['onnxruntime-web 1.30.0 (wasm, 2 threads) in a Web Worker', "this computer's processor"],
  ['onnxruntime-web 1.30.0 (webgpu, NVIDIA) in a Web Worker', "this computer's graphics card"],
  ['onnxruntime-node 1.22.0 (cuda)', "this computer's NVIDIA graphics card"],
  ['remote endpoint https://gpu.example', 'remote endpoint https://gpu.example'],
  ['Local engine http://127.0.0.1:8765', 'Local engine http://127.0.0.1:8765'],
])('%s: %s', (description, words) => {
  expect(engineWords(description)).toBe(words);
});
