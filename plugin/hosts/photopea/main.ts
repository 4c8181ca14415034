/** Entry of the Photopea plugin page: the panel speaking to the Photopea window that embeds it. */
import { mountPanel } from '../../ui/elements/dgPanel';
import { modelDirFromUrl } from '../browser/modelLocation';
import { PhotopeaChannel } from './photopeaChannel';
import { PhotopeaPort } from './photopeaPort';

// Opened on its own (no parent frame) there is no Photopea to talk to: say so on arrival, and let the channel
// refuse at once rather than post Photopea's scripts to this page itself and wait for an answer.
const inPhotopea = window.parent !== window;
if (!inPhotopea) {
  const note = document.createElement('p');
  note.className = 'notice';
  note.dataset.testid = 'not-in-photopea';
  note.textContent =
    "This is DragGAN's Photopea plugin page, opened on its own: it cannot read or write Photopea documents here. In Photopea, choose More > Plugins > Add plugin and give it this page's URL. Generate and drag work here too.";
  document.body.prepend(note);
}
const channel = new PhotopeaChannel(inPhotopea ? window.parent : null, window);
mountPanel(
  document.getElementById('app') ?? document.body,
  new PhotopeaPort(channel, modelDirFromUrl(location.search)),
);
