/**
 * The Photoshop panel's built page (dist/uxp/index.html) keeps to what UXP allows in place of a
 * Content-Security-Policy, which UXP does not document (docs/photoshop.md, finding 27): scripts only from the
 * plugin's own files, nothing inline, no `on*` handler attributes or `javascript:` URLs, no string evaluation in the
 * bundle, and no `<title>` (UXP may show it inside the panel).
 */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { BUILD_TIMEOUT_MS, ensureBuilt } from '../helpers/ensureBuilt';

const UXP_DIST = join(__dirname, '../../dist/uxp');
let html: string;

beforeAll(async () => {
  await ensureBuilt('uxp');
  html = readFileSync(join(UXP_DIST, 'index.html'), 'utf8');
}, BUILD_TIMEOUT_MS);

test("every script is one of the plugin's own files, and none is inline", () => {
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)];
  expect(scripts.length).toBeGreaterThan(0);
  // every opening tag was matched with its closing one
  expect(scripts.length).toBe((html.match(/<script\b/gi) ?? []).length);
  for (const [tag, attrs, body] of scripts) {
    // the build minifies the page: the value may be quoted or not
    const m = /\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attrs);
    const src = m?.[1] ?? m?.[2] ?? m?.[3];
    expect([tag, body.trim()]).toEqual([tag, '']);
    expect([tag, src && /^[\w./-]+$/.test(src) && !src.startsWith('/') && !src.includes('..')]).toEqual([tag, true]);
    expect([tag, existsSync(join(UXP_DIST, src!))]).toEqual([tag, true]);
  }
});

test('no handler attributes, javascript: URLs or <title>', () => {
  expect(html.match(/<[^>]*\son[a-z]+\s*=/gi)).toBeNull();
  expect(html.match(/javascript:/gi)).toBeNull();
  expect(html.match(/<title\b/gi)).toBeNull();
});

test('the bundle evaluates no strings as code', () => {
  const bundle = readFileSync(join(UXP_DIST, 'bundle.js'), 'utf8');
  expect(bundle.match(/new Function\s*\(/g)).toBeNull();
  expect(bundle.match(/(^|[^.\w$])eval\s*\(/g)).toBeNull();
});
