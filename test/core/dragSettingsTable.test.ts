import { DRAG_SETTINGS, type DragHyperParameters, type DragSetting } from '../../plugin/core/dragSettings';
import { editModelFor } from '../../plugin/core/editState';
import { limit } from '../../plugin/core/limit';
import { normalizeModelConfig } from '../../plugin/model/validateConfig';
import { validateHyperParameters } from '../../plugin/core/limits';
import { hyperParametersFromArgs } from '../../plugin/hosts/cli/hyperParameterArgs';
import { commandUsage } from '../../plugin/hosts/cli/usage';
import { decodeSettings, encodeSettings } from '../../plugin/remote/settingsCodec';
import { settingsTemplate } from '../../plugin/ui/elements/settingsTemplate';
import { defaultSettings, dragSettingsOf, mergeSettings, settingsProblem } from '../../plugin/ui/settings';
import type { EditController } from '../../plugin/ui/editController';

// lit is an ES module jest cannot require here; its `html` tag only records the template's strings and values,
// which is all this test reads of the form
jest.mock('lit', () => ({
  html: (strings: readonly string[], ...values: unknown[]) => ({ strings, values }),
  nothing: '',
}));

const model = editModelFor({ numWs: 12, wDim: 64, resolution: 128 });
const base: DragHyperParameters = {
  lr: 0.002,
  r1: 3,
  r2: 12,
  lambda: 20,
  featureIdx: 5,
  optimisedRows: 6,
  mode: 'w+',
  maxSteps: 300,
};

/** Every string and value of a Lit template, nested ones included: what the form would show. */
function templateText(t: unknown): string {
  if (Array.isArray(t)) return t.map(templateText).join('');
  if (t && typeof t === 'object' && 'strings' in t && 'values' in t) {
    const { strings, values } = t as { strings: readonly string[]; values: readonly unknown[] };
    return strings.map((s, i) => s + (i < values.length ? templateText(values[i]) : '')).join('');
  }
  return typeof t === 'string' || typeof t === 'number' ? String(t) : '';
}

describe('a setting added to the table only', () => {
  const table = DRAG_SETTINGS as unknown as Record<string, DragSetting>;
  beforeAll(() => {
    table.fictitious = {
      kind: 'number',
      limit: limit('the fictitious weight', 0, 2),
      default: 1,
      wire: 'fictitiousWeight',
      cli: { flag: 'fictitious', arg: 'F' },
      panel: { label: 'Fictitious weight', step: '0.25' },
      help: 'A weight that exists only in this test',
    };
  });
  afterAll(() => {
    delete table.fictitious;
  });
  const withIt = (v: number) => ({ ...base, fictitious: v }) as DragHyperParameters;

  test('is in the CLI help of every command that drags, and the CLI reads and checks it', () => {
    for (const command of ['drag', 'photo', 'eval'])
      expect(commandUsage(command)).toMatch(
        /\[--fictitious F\][^]*--fictitious F +A weight that exists only in this test/,
      );
    expect(hyperParametersFromArgs('drag', { fictitious: '1.5' } as never)).toEqual({ fictitious: 1.5 });
    expect(() => hyperParametersFromArgs('drag', { fictitious: '3' } as never)).toThrow(
      "--fictitious must be a number from 0 to 2, got '3'",
    );
  });

  test('crosses the wire under its wire name, checked on the way in', () => {
    const wire = encodeSettings(withIt(1.5));
    expect(wire.fictitiousWeight).toBe(1.5);
    expect(decodeSettings(wire, 'hp', model)).toMatchObject({ fictitious: 1.5 });
    expect(() => decodeSettings({ ...wire, fictitiousWeight: 7 }, 'hp', model)).toThrow(
      /hp\.fictitiousWeight: the fictitious weight must be a number from 0 to 2, got 7/,
    );
    const { fictitiousWeight: _, ...without } = wire;
    expect(() => decodeSettings(without, 'hp', model)).toThrow(/hp\.fictitiousWeight: is missing/);
  });

  test('is checked by the validator', () => {
    expect(() => validateHyperParameters(withIt(1), model)).not.toThrow();
    expect(() => validateHyperParameters(withIt(-1), model)).toThrow(
      'the fictitious weight must be a number from 0 to 2, got -1',
    );
  });

  test('is a field of the Settings form, with its default, its check and its way to the engine', () => {
    const settings = defaultSettings();
    expect((settings as unknown as Record<string, unknown>).fictitious).toBe(1);
    const form = templateText(
      settingsTemplate({
        settings,
        localBackends: ['wasm'],
        port: {},
        engineInfo: undefined,
      } as unknown as EditController),
    );
    expect(form).toMatch(
      /title="?A weight that exists only in this test"?>Fictitious weight<input type="number" step="?0\.25"? data-testid="setting-fictitious/,
    );
    expect(settingsProblem({ ...settings, fictitious: 5 } as never)).toBe(
      'The fictitious weight must be a number from 0 to 2, got 5.',
    );
    expect(
      (mergeSettings(settings, { fictitious: 0.5 } as never) as unknown as Record<string, unknown>).fictitious,
    ).toBe(0.5);
    expect(dragSettingsOf({ ...settings, fictitious: 0.5 } as never)).toMatchObject({ fictitious: 0.5 });
  });
});

test('validateConfig takes its bounds from the table: a card whose lambda no drag accepts does not load', () => {
  // before the table, a model card with lambda 1e6 loaded and then failed every drag (LIMITS allow 10,000)
  const card = {
    z_dim: 64,
    w_dim: 64,
    img_resolution: 128,
    synthesis_kwargs: { conv_clamp: 256 },
    draggan: { lambda: 1e6 },
  };
  expect(() => normalizeModelConfig(card)).toThrow(
    /draggan\.lambda: lambda \(the weight that keeps the unmasked region still\) must be a number from 0 to 10000, got 1000000/,
  );
  expect(normalizeModelConfig({ ...card, draggan: { lambda: 10000 } }).draggan.lambda).toBe(10000);
});
