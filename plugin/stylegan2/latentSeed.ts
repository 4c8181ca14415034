import { LIMITS } from '../core/limits';
import { hostTensor, type HostTensor } from '../graph/tensor';

/**
 * z from a seed, bit-for-bit as the official code makes it: `np.random.RandomState(seed).randn(1, z_dim)`
 * (float64), then cast to float32. So "seed 42" shows the same image here as in the official tools.
 *
 * NumPy's legacy RandomState: MT19937 seeded with init_genrand for an integer seed (checked against
 * `get_state()`), doubles from two 32-bit draws (27 + 26 bits), and the polar Box-Muller method that returns the
 * second value of each pair first and caches the other for the next call. The float32 z is identical to numpy's
 * (checked on a million values); the float64 values can differ by 1 ulp where V8's Math.log rounds differently
 * from the C library's log.
 */

const N = 624;
const M = 397;

class Mt19937 {
  private readonly mt = new Uint32Array(N);
  private index = N;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      // Math.imul keeps the 32-bit product exact (a plain * would lose the low bits beyond 2^53)
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < N; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
      mt[i] = mt[(i + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits, as numpy's legacy_double. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** `np.random.RandomState(seed).randn(n)` in float64. */
export function randnFromSeed(seed: number, n: number): Float64Array {
  if (!Number.isInteger(seed) || seed < 0 || seed > LIMITS.seed.max)
    throw new RangeError(`seed must be an integer from 0 to ${LIMITS.seed.max}, got ${seed}`);
  const rng = new Mt19937(seed);
  const out = new Float64Array(n);
  let cached: number | undefined;
  for (let i = 0; i < n; i++) {
    if (cached !== undefined) {
      out[i] = cached;
      cached = undefined;
      continue;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * rng.nextDouble() - 1;
      x2 = 2 * rng.nextDouble() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    cached = f * x1;
    out[i] = f * x2;
  }
  return out;
}

/** z [1, zDim] float32 for a seed, as the official GUI and renderer make it. */
export function zFromSeed(seed: number, zDim: number): HostTensor {
  return hostTensor([1, zDim], Float32Array.from(randnFromSeed(seed, zDim)));
}
