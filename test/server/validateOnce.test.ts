import { dragSettings } from '../../plugin/core/dragSettings';
import { editModelOfLatent, newEditState, withPairs } from '../../plugin/core/editState';
import * as check from '../../plugin/core/settingProblem';
import { PROTOCOL_HEADER, type DragStepsRequest } from '../../plugin/remote/protocol';
import { encodeDragState } from '../../plugin/remote/stateCodec';
import { hp, pairs, startTestServer, w0, type TestServer } from './harness';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.shutdown();
  await server.release();
});

test('one remote drag request checks each drag setting exactly once, where it enters (the wire)', async () => {
  const model = editModelOfLatent(w0);
  const body: DragStepsRequest = {
    model: 'tiny128',
    state: encodeDragState(withPairs(newEditState(w0, hp, model), pairs, model)),
    steps: 2,
    preview: 'none',
  };
  const counted = jest.spyOn(check, 'settingProblem');
  try {
    const res = await fetch(`${server.url}/v1/drag-steps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [PROTOCOL_HEADER]: '1' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/"type":"result"/);
    const perSetting = new Map<string, number>();
    for (const [name] of counted.mock.calls) perSetting.set(name, (perSetting.get(name) ?? 0) + 1);
    const given = dragSettings()
      .map(([name]) => name)
      .filter((name) => (hp as Record<string, unknown>)[name] !== undefined);
    expect(Object.fromEntries(perSetting)).toEqual(Object.fromEntries(given.map((name) => [name, 1])));
  } finally {
    counted.mockRestore();
  }
});
