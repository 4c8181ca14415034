import { intOption, numberOption, parseArgs, UsageError, type CommandSpec } from '../../plugin/hosts/cli/args';
import { runCli } from '../../plugin/hosts/cli/runCli';
import { memoryIo } from './memoryIo';

const spec: CommandSpec<'out' | 'psi' | 'force'> = {
  name: 'demo',
  options: { out: 'value', psi: 'value', force: 'flag' },
  positionals: ['input'],
};

describe('parseArgs', () => {
  test('values, flags, = form, negative numbers and --', () => {
    const a = parseArgs(spec, ['in.pkl', '--out', 'dir', '--psi', '-0.5', '--force']);
    expect(a.positionals).toEqual(['in.pkl']);
    expect(a.values).toEqual({ out: 'dir', psi: '-0.5' });
    expect([...a.flags]).toEqual(['force']);
    expect(parseArgs(spec, ['--out=a=b', '--', '--weird-name']).values.out).toBe('a=b');
    expect(parseArgs(spec, ['--', '--weird-name']).positionals).toEqual(['--weird-name']);
  });

  const errors: [string[], RegExp][] = [
    [['x', '--sed', '1'], /unknown option --sed for 'demo' \(options: --out, --psi, --force\)/],
    [['x', '-o', 'y'], /unknown option -o \(options are spelled with two dashes/],
    [['x', '--out'], /--out needs a value/],
    [['x', '--out', '--force'], /--out needs a value/],
    [['x', '--out='], /--out needs a value/],
    [['x', '--force=yes'], /--force takes no value/],
    [['x', '--out', 'a', '--out', 'b'], /--out is given more than once/],
    [[], /missing <input>/],
    [['x', 'y'], /unexpected argument 'y'/],
  ];
  test.each(errors)('%j -> %p', (argv, message) => {
    expect(() => parseArgs(spec, argv)).toThrow(UsageError);
    expect(() => parseArgs(spec, argv)).toThrow(message);
  });

  test('number options', () => {
    expect(intOption('g', 'seed', '4294967295', 0, 0xffffffff)).toBe(4294967295);
    for (const bad of ['-1', '4294967296', '1.5', 'abc', '', '1e3'])
      expect(() => intOption('g', 'seed', bad, 0, 0xffffffff)).toThrow(
        /--seed must be a whole number from 0 to 4294967295/,
      );
    expect(numberOption('g', 'psi', '-0.25')).toBe(-0.25);
    for (const bad of ['abc', '', 'NaN', 'Infinity'])
      expect(() => numberOption('g', 'psi', bad)).toThrow(/--psi must be a number/);
  });
});

describe('runCli usage errors', () => {
  const cases: [string[], RegExp][] = [
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['import'], /missing <checkpoint.pkl>/],
    [['import', 'a.pkl'], /--out <dir> is required/],
    [['generate', '--out', 'x.png'], /give --seed N or --latent w.npy/],
    [['generate', '--seed', '1', '--latent', 'w.npy', '--out', 'x.png'], /either --seed or --latent, not both/],
    [['generate', '--latent', 'w.npy', '--psi', '0.5', '--out', 'x.png'], /--psi applies to --seed only/],
    [['generate', '--seed', '1'], /--out img.png is required/],
    [['generate', '--seed', 'one', '--out', 'x.png'], /--seed must be a whole number/],
    [
      ['generate', '--seed', '1', '--out', 'x.png', '--backend', 'tpu'],
      /unknown backend 'tpu' \(choose one of: cpu, cuda, wasm, wasm2, remote\)/,
    ],
  ];
  test.each(cases)('%j', async (argv, message) => {
    const io = memoryIo();
    expect(await runCli(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.err()).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('usage errors show the command usage; --help shows it on stdout with exit 0', async () => {
    const io = memoryIo();
    await runCli(['generate', '--bogus'], io);
    expect(io.err()).toMatch(/usage: draggan generate/);
    const help = memoryIo();
    expect(await runCli(['generate', '--help'], help)).toBe(0);
    expect(help.out()).toMatch(/usage: draggan generate/);
    const main = memoryIo();
    expect(await runCli(['--help'], main)).toBe(0);
    expect(main.out()).toMatch(/commands:\n\s+import/);
    expect(await runCli([], memoryIo())).toBe(2);
  });
});
