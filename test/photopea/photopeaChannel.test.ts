import { PhotopeaChannel, type MessageSource } from '../../plugin/hosts/photopea/photopeaChannel';

/** The plugin page's window: Photopea's replies arrive as its message events. */
function pageWindow(): MessageSource & { send(data: unknown): void } {
  const listeners: ((e: MessageEvent) => void)[] = [];
  return {
    addEventListener: (_type, l) => listeners.push(l),
    send: (data) => listeners.forEach((l) => l({ data } as MessageEvent)),
  };
}

test('opened on its own (no Photopea around it), a script fails at once, saying to open the page from Photopea', async () => {
  const channel = new PhotopeaChannel(null, pageWindow(), 60_000);
  const t0 = Date.now();
  await expect(channel.run('app.activeDocument.saveToOE("png");')).rejects.toThrow(
    /Photopea plugin; open it from Photopea \(More > Plugins/,
  );
  expect(Date.now() - t0).toBeLessThan(100);
});

test('inside Photopea, replies are collected until "done"; a silent parent times out with the same advice', async () => {
  const win = pageWindow();
  const posted: string[] = [];
  const channel = new PhotopeaChannel({ postMessage: (m) => posted.push(m) }, win, 50);
  const replies = channel.run('app.echoToOE("x");');
  // scripts are queued: the script is posted (and replies listened for) a few microtasks later
  while (posted.length === 0) await Promise.resolve();
  win.send('x');
  win.send('done');
  await expect(replies).resolves.toEqual(['x']);
  expect(posted).toEqual(['app.echoToOE("x");']);
  await expect(channel.run('app.echoToOE("y");')).rejects.toThrow(
    /Photopea did not answer: this page is a Photopea plugin/,
  );
});
