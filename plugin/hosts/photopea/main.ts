/** Entry of the Photopea plugin page: the panel speaking to the Photopea window that embeds it. */
import { mountPanel } from '../../ui/elements/dgPanel';
import { modelDirFromUrl } from '../browser/modelLocation';
import { PhotopeaChannel } from './photopeaChannel';
import { PhotopeaPort } from './photopeaPort';

const channel = new PhotopeaChannel(window.parent, window);
mountPanel(document.getElementById('app') ?? document.body, new PhotopeaPort(channel, modelDirFromUrl(location.search)));
