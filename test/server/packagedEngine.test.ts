/**
 * `npm run package:engine` on a machine with no Node: the archive is unpacked into an empty root holding only the
 * C libraries its programs link (chroot), started with no arguments (a double-click) in a network namespace of its
 * own (so port 8765, the one the panel looks at, is free), and asked what the Photoshop panel asks: /readyz, then
 * a generate with the panel's header. Needs root (chroot, unshare), as CI runs.
 */
import { execFileSync, spawnSync } from 'child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { packageEngine } from '../../plugin/hosts/node/packageEngine';
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../helpers/ensureBuilt';

const isRoot =
  process.getuid?.() === 0 &&
  existsSync('/usr/sbin/chroot') &&
  existsSync('/usr/bin/unshare') &&
  existsSync('/usr/sbin/ip');
const maybe = isRoot ? test : test.skip;

/** The shared libraries a program or library links, as ldd resolves them on this machine. */
function linkedLibraries(file: string): string[] {
  const out = spawnSync('ldd', [file], { encoding: 'utf8' }).stdout ?? '';
  return [...out.matchAll(/(\/[^\s]+)/g)].map((m) => m[1]);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) =>
    statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)],
  );
}

// what the panel does once it found the engine (LOCAL_SERVER_URL), from inside the engine's network namespace
const CLIENT = `
const url = 'http://127.0.0.1:8765';
(async () => {
  let ready;
  for (let i = 0; i < 480 && ready?.status !== 'ready'; i++) {
    try { ready = await (await fetch(url + '/readyz')).json(); } catch {}
    if (ready?.status !== 'ready') await new Promise((r) => setTimeout(r, 250));
  }
  const r = await fetch(url + '/v1/generate', { method: 'POST', headers: { 'content-type': 'application/json', 'draggan-protocol': '1' }, body: JSON.stringify({ model: 'bundled', seed: 3, preview: 'none' }) });
  const body = await r.json();
  console.log(JSON.stringify({ ready, status: r.status, latentShape: body.latent && body.latent.shape }));
})();
`;

maybe(
  'the packaged engine starts with no Node installed and no arguments, where the panel looks, and generates',
  async () => {
    await ensureBuilt('node');
    const out = mkdtempSync(join(tmpdir(), 'draggan-package-'));
    try {
      const p = await packageEngine(join(out, 'dist'));
      expect(p.archive).toBeDefined();
      const jail = join(out, 'root');
      mkdirSync(jail);
      execFileSync('tar', ['-xzf', p.archive as string, '-C', jail]);
      const app = join(jail, readdirSync(jail)[0]);
      // the C libraries only, as any machine has them: no node, no npm, nothing of the project outside the archive
      const programs = [
        join(app, 'draggan-engine'),
        ...filesUnder(join(app, 'lib')).filter((f) => /\.(so(\.\d+)*|node)$/.test(f)),
      ];
      for (const lib of new Set(programs.flatMap(linkedLibraries))) {
        if (lib.startsWith(out)) continue;
        mkdirSync(join(jail, dirname(lib)), { recursive: true });
        cpSync(lib, join(jail, lib), { dereference: true });
      }
      expect(filesUnder(jail).some((f) => /\/node$/.test(f) || f.includes('node_modules/.bin'))).toBe(false);
      writeFileSync(join(out, 'client.js'), CLIENT);
      const exe = `/${readdirSync(jail).find((n) => n.startsWith('draggan-engine'))}/draggan-engine`;
      const script = `ip link set lo up; env -i /usr/sbin/chroot ${jail} ${exe} > ${out}/engine.log 2>&1 & pid=$!; ${process.execPath} ${out}/client.js; kill $pid; wait $pid 2>/dev/null; true`;
      const r = spawnSync('/usr/bin/unshare', ['-n', 'sh', '-c', script], { encoding: 'utf8', timeout: 120_000 });
      const log = spawnSync('cat', [`${out}/engine.log`], { encoding: 'utf8' }).stdout;
      const answer = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as {
        ready?: { status: string };
        status?: number;
        latentShape?: number[];
      };
      expect({ answer, log }).toMatchObject({
        answer: { ready: { status: 'ready' }, status: 200, latentShape: [1, 12, 128] },
      });
      expect(log).toMatch(/draggan serve: http:\/\/127\.0\.0\.1:8765/);
      // onnxruntime's telemetry is off: with it on, a root without CA certificates logs its failed uploads
      expect(log).not.toMatch(/telemetry/i);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
  BUILD_TIMEOUT_MS + 180_000,
);
