/**
 * StyleGAN3's low-pass filters as the official SynthesisLayer.design_lowpass_filter makes them (NVlabs/stylegan3
 * training/networks_stylegan3.py): a separable Kaiser-windowed sinc (scipy.signal.firwin with a transition width), or
 * for config R's non-critical down-sampling a radially symmetric jinc under the outer product of Kaiser windows.
 * A checkpoint carries them as buffers; these are for generators made here (random-weight benchmark shapes).
 */

/** scipy.signal.kaiser_atten then kaiser_beta: the window's beta for this many taps and transition width (of Nyquist). */
function kaiserBeta(numtaps: number, width: number): number {
  const a = 2.285 * (numtaps - 1) * Math.PI * width + 7.95;
  if (a > 50) return 0.1102 * (a - 8.7);
  if (a > 21) return 0.5842 * (a - 21) ** 0.4 + 0.07886 * (a - 21);
  return 0;
}

/** The modified Bessel function I0 by its power series (converges for every argument a window needs). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 200 && term > 1e-17 * sum; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** The Bessel function J1 by its integral (1/pi) * int_0^pi cos(t - x sin t) dt; the trapezoid rule is exact fast here. */
function besselJ1(x: number): number {
  const n = 256;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const t = (Math.PI * i) / n;
    sum += (i === 0 || i === n ? 0.5 : 1) * Math.cos(t - x * Math.sin(t));
  }
  return sum / n;
}

/** numpy.kaiser (symmetric). */
function kaiserWindow(numtaps: number, beta: number): number[] {
  const alpha = (numtaps - 1) / 2;
  return Array.from({ length: numtaps }, (_, n) =>
    numtaps === 1 ? 1 : besselI0(beta * Math.sqrt(1 - ((n - alpha) / alpha) ** 2)) / besselI0(beta),
  );
}

/**
 * The filter's taps: `numtaps` long (1-D) or `numtaps` x `numtaps` row-major (radial), summing to 1; cutoff and
 * width in the units of the sampling rate `fs`, as the official layer passes them.
 */
export function designLowpassFilter(
  numtaps: number,
  cutoff: number,
  width: number,
  fs: number,
  radial: boolean,
): Float32Array {
  const window = kaiserWindow(numtaps, kaiserBeta(numtaps, width / (fs / 2)));
  const centre = (numtaps - 1) / 2;
  const taps: number[] = [];
  if (!radial) {
    const c = cutoff / (fs / 2);
    for (let n = 0; n < numtaps; n++) {
      const m = n - centre;
      taps.push(c * (m === 0 ? 1 : Math.sin(Math.PI * c * m) / (Math.PI * c * m)) * window[n]);
    }
  } else {
    for (let i = 0; i < numtaps; i++) {
      for (let j = 0; j < numtaps; j++) {
        const r = Math.hypot((i - centre) / fs, (j - centre) / fs);
        const jinc = r === 0 ? cutoff : besselJ1(2 * cutoff * Math.PI * r) / (Math.PI * r);
        taps.push(jinc * window[i] * window[j]);
      }
    }
  }
  const sum = taps.reduce((a, b) => a + b, 0);
  return Float32Array.from(taps, (t) => t / sum);
}
