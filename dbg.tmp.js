const { chromium } = require('playwright-core');
const fs = require('fs');
const { startServer } = require('/work/main/plugin/hosts/browser/devServer.cjs');
(async () => {
  const server = await startServer('/work/main/dist/web', 0);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const page = await b.newPage();
  page.on('console', (m) => console.log('console', m.text()));
  await page.addInitScript((s) => localStorage.setItem('draggan.settings.v1', s), JSON.stringify({ maxSteps: 12, previewEvery: 2, lr: 0.05, invertSteps: 4 }));
  const harness = fs.readFileSync('/work/main/test/e2e/fakePhotopea.html', 'utf8');
  await page.route('**/fake-photopea.html*', (route) => route.fulfill({ body: harness, contentType: 'text/html' }));
  await page.goto(`${origin}/fake-photopea.html?plugin=${encodeURIComponent(`${origin}/photopea.html`)}`);
  const plugin = await (await page.locator('#plugin').elementHandle()).contentFrame();
  await plugin.locator('[data-testid=status]').filter({ hasText: '128 px' }).waitFor();
  await plugin.click('[data-testid=read-source]');
  const st = async () => [await plugin.locator('[data-testid=status]').textContent(), (await plugin.locator('[data-testid=error]').count()) ? await plugin.locator('[data-testid=error]').textContent() : ''];
  for (let i = 0; i < 12; i++) { await new Promise((r) => setTimeout(r, 1000)); console.log(i, ...(await st())); }
  const box = await plugin.locator('[data-testid=overlay]').boundingBox();
  await plugin.locator('[data-testid=overlay]').click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
  await plugin.locator('[data-testid=overlay]').click({ position: { x: box.width * 0.6, y: box.height * 0.5 } });
  await plugin.click('[data-testid=run]');
  for (let i = 0; i < 15; i++) { await new Promise((r) => setTimeout(r, 1000)); console.log(i, ...(await st())); }
  await b.close(); server.close();
})();
