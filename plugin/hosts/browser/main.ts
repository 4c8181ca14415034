/** Entry of the standalone page: the panel with the page's port, plus drag-and-drop of images. */
import { mountPanel } from '../../ui/elements/dgPanel';
import { BrowserPort } from './browserPort';
import { modelDirFromUrl } from './modelLocation';

const port = new BrowserPort(modelDirFromUrl(location.search));
const root = document.getElementById('app') ?? document.body;
const panel = mountPanel(root, port);

document.addEventListener('dragover', (e) => e.preventDefault());
document.addEventListener('drop', (e) => {
  e.preventDefault();
  const file = e.dataTransfer?.files[0];
  if (!file || !file.type.startsWith('image/')) return;
  if (panel.refuseWhileBusy(`The dropped file ${file.name}`)) return;
  // offered to this read only: should it fail before the read, it must not stand in for a later "Open image…"
  port.dropped = file;
  void panel.readSource().finally(() => {
    if (port.dropped === file) port.dropped = null;
  });
});
