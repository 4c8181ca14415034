/** Entry of the UXP panel: the DragGAN panel with the Photoshop port, mounted when the panel's page loads. */
import { mountPanel } from '../../ui/elements/dgPanel';
import { PhotoshopPort } from './photoshopPort';
import { installUxpPolyfills } from './uxpPolyfills';
import { listSavedModels, pickBinaryFile, readPluginBytes, readPluginText, saveModel } from './uxpFiles';
import { uxpModelStorage } from './uxpModelStorage';

installUxpPolyfills();
mountPanel(
  document.getElementById('app') ?? document.body,
  new PhotoshopPort(
    {
      text: readPluginText,
      bytes: readPluginBytes,
      pick: pickBinaryFile,
      saved: { list: listSavedModels, save: saveModel },
    },
    uxpModelStorage(),
  ),
);
