// `npm start`: serves dist/web on localhost (the page needs HTTP: it fetches the model and the runtime's .wasm).
// Also used by the end-to-end tests, which start it on a free port.
const http = require('http');
const fs = require('fs');
const path = require('path');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.png': 'image/png', '.map': 'application/json' };

function startServer(root, port = 0, host = '127.0.0.1') {
  const base = path.resolve(root);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url || '/', 'http://x');
    const file = path.resolve(base, '.' + decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname));
    // never serve anything outside the folder
    if (!file.startsWith(base + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-cache' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}

module.exports = { startServer };

if (require.main === module) {
  const root = process.argv[2] || path.resolve(__dirname, '../../../dist/web');
  const port = Number(process.env.PORT || 8080);
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    console.error(`${root} has no index.html: run npm run build first`);
    process.exit(1);
  }
  startServer(root, port).then(() => {
    console.log(`DragGAN page: http://localhost:${port}/  (Photopea plugin page: http://localhost:${port}/photopea.html)`);
  });
}
