/**
 * The stand-ins the panel installs where UXP lacks a global (plugin/hosts/photoshop/uxpPolyfills.ts): each behaves as
 * the browser's own for what the panel's libraries use, and a host that has the real one keeps it.
 */
import { installUxpPolyfills, UrlStandIn } from '../../plugin/hosts/photoshop/uxpPolyfills';

describe('the URL stand-in resolves as the WHATWG URL does for the URLs the panel meets', () => {
  const cases: [string, string?][] = [
    ['ort-wasm-simd-threaded.wasm', 'file:///Users/me/plugins/draggan/bundle.js'],
    ['./model/model.json', 'plugin:/index.html'],
    ['../up/x.wasm?v=2#h', 'https://example.com/a/b/c.js'],
    ['/abs/path', 'https://example.com:8443/a/b'],
    ['?q=1', 'https://example.com/a/b?old#frag'],
    ['#only', 'https://example.com/a/b?keep'],
    ['//other.host/p', 'https://example.com/a'],
    ['http://127.0.0.1:8765', undefined],
    ['http://127.0.0.1:8765/v1/models?x=1', undefined],
    ['https://[::1]:8080/readyz', undefined],
    ['.', 'https://example.com/a/b/c'],
    ['a/./b/../c', 'https://example.com/x/'],
  ];
  test.each(cases)('%s against %s', (input, base) => {
    const ours = new UrlStandIn(input, base);
    const real = new URL(input, base);
    expect({
      href: ours.href,
      protocol: ours.protocol,
      host: ours.host,
      hostname: ours.hostname,
      port: ours.port,
      pathname: ours.pathname,
      search: ours.search,
      hash: ours.hash,
    }).toEqual({
      href: real.href,
      protocol: real.protocol,
      host: real.host,
      hostname: real.hostname,
      port: real.port,
      pathname: real.pathname,
      search: real.search,
      hash: real.hash,
    });
    expect(String(ours)).toBe(real.href);
  });

  test('a URL without a scheme or base throws, as the endpoint client expects of a mistyped URL', () => {
    // (Node's URL throws a TypeError of another realm than Jest's: compared by message)
    expect(() => new URL('127.0.0.1:8765/x')).toThrow(/Invalid URL/);
    expect(() => new UrlStandIn('127.0.0.1:8765/x')).toThrow(/Invalid URL/);
  });
});

class FakeElement {
  private readonly attrs = new Map<string, string>();
  hasAttribute(n: string) {
    return this.attrs.has(n);
  }
  setAttribute(n: string, v: string) {
    this.attrs.set(n, v);
  }
  removeAttribute(n: string) {
    this.attrs.delete(n);
  }
}

describe('installUxpPolyfills', () => {
  test('on a UXP-shaped global it installs toggleAttribute, URL (keeping createObjectURL), performance and Atomics', () => {
    const createObjectURL = jest.fn(() => 'blob:1');
    const g: Record<string, unknown> = { Element: FakeElement, URL: { createObjectURL, revokeObjectURL: () => {} } };
    expect(installUxpPolyfills(g)).toEqual(['Element.prototype.toggleAttribute', 'URL', 'performance', 'Atomics']);

    const el = new FakeElement() as unknown as Element;
    expect(el.toggleAttribute('disabled', true)).toBe(true);
    expect(el.hasAttribute('disabled')).toBe(true);
    expect(el.toggleAttribute('disabled', true)).toBe(true);
    expect(el.toggleAttribute('disabled')).toBe(false);
    expect(el.hasAttribute('disabled')).toBe(false);
    expect(el.toggleAttribute('disabled', false)).toBe(false);

    const U = g.URL as typeof URL;
    expect(new U('x.wasm', 'file:///p/bundle.js').href).toBe('file:///p/x.wasm');
    expect(U.createObjectURL(new Blob([]))).toBe('blob:1');
    expect(createObjectURL).toHaveBeenCalled();

    const perf = g.performance as Performance;
    const t = perf.timeOrigin + perf.now();
    // onnxruntime-web turns this sum into a BigInt: it must be a finite number near the wall clock
    expect(Number.isFinite(t)).toBe(true);
    expect(Math.abs(t - Date.now())).toBeLessThan(1000);
    expect(() => BigInt(Math.round(t))).not.toThrow();
  });

  test('a performance without timeOrigin gets one, and its own now() is kept', () => {
    const now = () => 42;
    const g: Record<string, unknown> = { performance: { now }, URL, Atomics };
    expect(installUxpPolyfills(g)).toEqual(['performance']);
    const perf = g.performance as Performance;
    expect(perf.now()).toBe(42);
    expect(Math.abs(perf.timeOrigin + 42 - Date.now())).toBeLessThan(1000);
  });

  test('a host with the real globals keeps them', () => {
    class WithToggle extends FakeElement {
      toggleAttribute() {
        return true;
      }
    }
    const g: Record<string, unknown> = { Element: WithToggle, URL, performance, Atomics };
    expect(installUxpPolyfills(g)).toEqual([]);
    expect(g.Atomics).toBe(Atomics);
    expect(g.URL).toBe(URL);
    expect(g.performance).toBe(performance);
  });

  test("the Atomics stand-in gives the real Atomics' answers on one thread, and no waitAsync (onnxruntime-web then uses no mailbox)", () => {
    const g: Record<string, unknown> = { URL, performance };
    expect(installUxpPolyfills(g)).toEqual(['Atomics']);
    const A = g.Atomics as typeof Atomics;
    expect((A as { waitAsync?: unknown }).waitAsync).toBeUndefined();
    const run = (ops: typeof Atomics) => {
      const a = new Int32Array(new SharedArrayBuffer(16));
      const b = new BigInt64Array(2);
      return [
        ops.store(a, 0, 7),
        ops.add(a, 0, 5),
        ops.sub(a, 0, 2),
        ops.and(a, 0, 6),
        ops.or(a, 0, 9),
        ops.xor(a, 0, 3),
        ops.exchange(a, 1, 4),
        ops.compareExchange(a, 1, 4, 8),
        ops.compareExchange(a, 1, 4, 1),
        ops.load(a, 0),
        ops.load(a, 1),
        ops.store(b, 0, 5n),
        ops.add(b, 0, 2n),
        ops.load(b, 0),
        ops.notify(a, 0, 1),
        ops.isLockFree(4),
      ];
    };
    expect(run(A)).toEqual(run(Atomics));
  });
});
