/** Entry of the Photopea plugin page: the panel speaking to the Photopea window that embeds it. */
import { mountPanel } from '../../ui/elements/dgPanel';
import { modelDirFromUrl } from '../browser/modelLocation';
import { hasWebGpu } from '../browser/webBackend';
import { PhotopeaChannel } from './photopeaChannel';
import { PhotopeaPort } from './photopeaPort';

// opened on its own (no parent frame), the page would post Photopea's scripts to itself and wait for an answer
const channel = new PhotopeaChannel(window.parent !== window ? window.parent : null, window);
mountPanel(document.getElementById('app') ?? document.body, new PhotopeaPort(channel, modelDirFromUrl(location.search)), { webgpu: hasWebGpu() });
