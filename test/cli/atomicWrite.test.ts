/**
 * Outputs are written to a temporary file and renamed into place: a writer killed mid-write, or stopped by a
 * file-size limit, leaves the previous file whole.
 */
import { spawn, spawnSync } from 'child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { writeFileAtomic } from '../../plugin/hosts/node/atomicWrite';
import { BUILD_TIMEOUT_MS, BUNDLE, ensureBuilt } from '../helpers/ensureBuilt';
import { ROOT } from './referenceImage';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'draggan-atomic-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('writes the whole file and leaves no temporary file behind; a failed write keeps the old file', () => {
  const p = join(dir, 'a.json');
  writeFileAtomic(p, 'old\n');
  writeFileAtomic(p, 'new\n');
  expect(readFileSync(p, 'utf8')).toBe('new\n');
  expect(readdirSync(dir)).toEqual(['a.json']);
  // a target that cannot be replaced (a folder): the write fails, nothing else changes
  const folder = join(dir, 'taken');
  mkdirSync(folder);
  expect(() => writeFileAtomic(folder, 'data')).toThrow();
  expect(statSync(folder).isDirectory()).toBe(true);
  expect(readdirSync(dir).sort()).toEqual(['a.json', 'taken']);
});

test('only regular files are written: a device, a FIFO or a link to either is refused and left as it was', () => {
  expect(() => writeFileAtomic('/dev/null', 'x')).toThrow(
    '/dev/null is a character device, not a regular file; name a file to write',
  );
  expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  const fifo = join(dir, 'pipe');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  // refused from its type, without opening it (opening a FIFO for writing would block until a reader came)
  expect(() => writeFileAtomic(fifo, 'x')).toThrow(/pipe is a named pipe \(FIFO\), not a regular file/);
  expect(lstatSync(fifo).isFIFO()).toBe(true);
  const toDevice = join(dir, 'to-null');
  symlinkSync('/dev/null', toDevice);
  expect(() => writeFileAtomic(toDevice, 'x')).toThrow(/to-null is a symbolic link to a character device/);
  const dangling = join(dir, 'dangling');
  symlinkSync(join(dir, 'nowhere', 'x'), dangling);
  expect(() => writeFileAtomic(dangling, 'x')).toThrow(/dangling is a symbolic link to nothing/);
  for (const p of [fifo, toDevice, dangling]) rmSync(p);
});

test('a symbolic link to a file: the file it names is replaced and the link kept', () => {
  const real = join(dir, 'real.txt');
  const link = join(dir, 'link.txt');
  writeFileSync(real, 'old');
  symlinkSync(real, link);
  writeFileAtomic(link, 'new');
  expect(lstatSync(link).isSymbolicLink()).toBe(true);
  expect(readlinkSync(link)).toBe(real);
  expect(readFileSync(real, 'utf8')).toBe('new');
  rmSync(link);
  rmSync(real);
});

test("a killed writer's temporary file is removed by the next write; a live writer's is left alone", () => {
  const target = join(dir, 'out.png');
  // a pid past the kernel's pid_max (2^22 at most): no such process
  const dead = join(dir, `.out.png.${2 ** 22 + 7}.partial`);
  const live = join(dir, `.out.png.${process.ppid}.partial`);
  writeFileSync(dead, 'half');
  writeFileSync(live, 'half');
  writeFileAtomic(target, 'whole');
  expect(existsSync(dead)).toBe(false);
  expect(existsSync(live)).toBe(true);
  expect(readFileSync(target, 'utf8')).toBe('whole');
  rmSync(live);
  rmSync(target);
});

test('SIGKILL in the middle of writing 256 MB: the previous file is intact', async () => {
  const target = join(dir, 'big.bin');
  writeFileSync(target, 'the previous file\n');
  const script =
    "require('ts-node').register({ transpileOnly: true });" +
    `require(${JSON.stringify(join(ROOT, 'plugin/hosts/node/atomicWrite.ts'))}).writeFileAtomic(process.argv[1], Buffer.alloc(256 * 2 ** 20, 7));`;
  const child = spawn(process.execPath, ['-e', script, target], { stdio: 'ignore' });
  const partial = join(dir, `.big.bin.${child.pid}.partial`);
  // kill as soon as the temporary file has data (the write, and the fsync after it, take far longer than a poll)
  const seen = await new Promise<number>((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      const size = existsSync(partial) ? statSync(partial).size : 0;
      if (size > 0) {
        clearInterval(poll);
        child.kill('SIGKILL');
        resolve(size);
      } else if (Date.now() - started > 60000 || child.exitCode !== null) {
        clearInterval(poll);
        reject(new Error(`the writer never started writing (exit ${child.exitCode})`));
      }
    }, 2);
  });
  await new Promise((r) => child.once('exit', r));
  expect(seen).toBeGreaterThan(0);
  expect(readFileSync(target, 'utf8')).toBe('the previous file\n');
}, 90000);

beforeAll(() => ensureBuilt('node'), BUILD_TIMEOUT_MS);

test('draggan generate --out /dev/null: exit 2, saying it is a device, and the device is still one', () => {
  const model = join(ROOT, 'test/fixtures/packages/tiny128');
  const r = spawnSync(process.execPath, [BUNDLE, 'generate', '--model', model, '--seed', '1', '--out', '/dev/null'], {
    encoding: 'utf8',
  });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/\/dev\/null is a character device, not a regular file; name a file to write/);
  expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
}, 180000);

test('draggan generate under a 4 KB file-size limit keeps the good PNG it was to replace', () => {
  const model = join(ROOT, 'test/fixtures/packages/tiny128');
  const out = join(dir, 'good.png');
  const gen = (limit: string) =>
    spawnSync(
      'bash',
      [
        '-c',
        `${limit} exec "$0" "$@"`,
        process.execPath,
        BUNDLE,
        'generate',
        '--model',
        model,
        '--seed',
        '1',
        '--out',
        out,
      ],
      { encoding: 'utf8' },
    );
  expect(gen('').status).toBe(0);
  const good = readFileSync(out);
  expect(good.length).toBeGreaterThan(4096);
  const limited = gen('ulimit -f 4;');
  expect(limited.status).not.toBe(0);
  expect(readFileSync(out).equals(good)).toBe(true);
}, 180000);

test('draggan generate --save-latent into a folder that cannot hold it: exit 2 naming the latent, and the old image is kept', async () => {
  const model = join(ROOT, 'test/fixtures/packages/tiny128');
  const out = join(dir, 'pair.png');
  writeFileSync(out, 'the previous image');
  // the latent's path names a folder: its write fails after the image's temporary file was written
  const taken = join(dir, 'latent-is-a-folder.npy');
  mkdirSync(taken);
  const r = spawnSync(
    process.execPath,
    [BUNDLE, 'generate', '--model', model, '--seed', '1', '--out', out, '--save-latent', taken],
    { encoding: 'utf8' },
  );
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/cannot write latent .*latent-is-a-folder\.npy: .*a directory/);
  expect(readFileSync(out, 'utf8')).toBe('the previous image');
  expect(readdirSync(dir).filter((n) => n.startsWith('.pair.png.'))).toEqual([]);
}, 180000);
