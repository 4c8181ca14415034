/**
 * TensorFlow keeps convolution filters HWIO; our graphs (and PyTorch) run OIHW. Used by the face networks' tfjs
 * weights and the TensorFlow-era StyleGAN2 importer, each filter transposed once, on the host.
 */
import type { HostTensor } from './tensor';

/** HWIO -> OIHW. */
export function hwioToOihw(t: HostTensor): HostTensor {
  const [kh, kw, ci, co] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = t.data[((y * kw + x) * ci + i) * co + o];
  return { shape: [co, ci, kh, kw], data: out };
}
