/**
 * The model and the engine behind the panel: the picker's models (the host's, imported ones, or an endpoint's), the
 * settings as stored, which engine runs (here, or `draggan serve` on this computer, or a remote endpoint), started on
 * first use and kept while the model and engine choice stay the same.
 */
import type { ReactiveControllerHost } from 'lit';
import { UserFixableError } from '../core/errors';
import type { Engine, ModelSummary } from '../engine/engine';
import { remoteEngine, remoteModels } from '../engine/remoteEngine';
import { engineWords } from './engineWords';
import { sizeWords } from './modelSizeWords';
import type { HostPort, ModelEntry } from './hostPort';
import { START_LOCAL_ENGINE } from './localEngineHelp';
import type { PanelTask } from './panelTask';
import { defaultSettings, mergeSettings, servedBackend, type LocalBackend, type Settings } from './settings';
import { yieldToEventLoop } from './yieldToEventLoop';

export interface EngineEvents {
  /** Before something that drops the edit (another model or endpoint): true to go on. */
  confirmDrop(what: string, yes: string): Promise<boolean>;
  /** A model has started: the edit starts afresh on it. */
  modelLoaded(model: ModelSummary): void;
}

export class EngineController {
  models: ModelEntry[] = [];
  modelId = '';
  /** The model the engine runs (resolution, defaults); undefined until an engine has started. */
  model?: ModelSummary;
  settings: Settings = defaultSettings();
  /** The engines this host runs itself (wasm; WebGPU where the browser has an adapter). */
  localBackends: LocalBackend[] = ['wasm'];
  /** `draggan serve` on this computer as the host last found it (null: none answered). */
  localServerUrl: string | null = null;
  /** What the local engine runs on, as it reported ("CPU, 8 threads"); undefined from a server that does not say. */
  localServerEngine: string | undefined;
  /** What is really running and why it is not what was asked for, for Settings. */
  engineInfo: { description: string; notes: readonly string[] } | null = null;
  private handle?: { key: string; engine: Engine };
  /** The engine (key()) that has made an image: its first Generate, much slower, shows its stages. */
  private warmKey?: string;
  /** The engine stored as the user's choice: one that has started, so a choice that fails does not return at the next start. */
  private storedBackend: Settings['backend'] = 'wasm';
  /** Checkpoints imported this session: they stay in the picker when the engine changes. */
  private imported: ModelEntry[] = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly port: HostPort,
    private readonly task: PanelTask,
    private readonly events: EngineEvents,
  ) {}

  /** The engine running now, if one has started (nothing is started for asking). */
  get running(): Engine | undefined {
    return this.handle?.engine;
  }

  /** Whether the running engine has made an image (its graphs are built). */
  get warm(): boolean {
    return this.warmKey === this.key();
  }

  markWarm(): void {
    this.warmKey = this.key();
  }

  async init(): Promise<void> {
    this.settings = mergeSettings(this.settings, await this.port.loadSettings());
    this.storedBackend = this.settings.backend;
    await this.task.run('Loading models', async () => {
      this.localBackends = await this.port.localBackends();
      // a local engine that runs is used by itself, unless the user chose an endpoint; one that stopped is not
      const found = await this.findLocalServer();
      if (found && this.settings.backend !== 'remote') this.settings = { ...this.settings, backend: 'local-server' };
      else if (!found && this.settings.backend === 'local-server')
        this.settings = { ...this.settings, backend: this.localBackends[0] ?? 'wasm' };
      await this.loadModels();
    });
  }

  /** Asks the host for `draggan serve` on this computer; remembers the answer for the engine and Settings. */
  private async findLocalServer(): Promise<string | null> {
    const found = (await this.port.findLocalServer?.()) ?? null;
    this.localServerUrl = found?.url ?? null;
    this.localServerEngine = found?.engine;
    return this.localServerUrl;
  }

  /** The picker's models: the host's own, or the endpoint's when the engine is remote. */
  private async loadModels(): Promise<void> {
    this.models = [];
    this.modelId = '';
    this.model = undefined;
    if (servedBackend(this.settings.backend)) {
      this.task.status = `Asking ${this.remoteOptions().endpoints[0]} for its models…`;
      const served = await remoteModels(this.remoteOptions());
      this.models = served.map((m) => ({ id: m.id, label: `${m.name} (${sizeWords(m)}, on the endpoint)` }));
      if (this.models.length === 0) throw new UserFixableError('the remote endpoint serves no models');
    } else {
      this.models = [...(await this.port.listModels()), ...this.imported];
      if (this.models.length === 0)
        throw new UserFixableError('no model is installed; import an official StyleGAN2 .pkl');
    }
    await this.loadModel(this.models[0]);
  }

  private remoteOptions() {
    if (this.settings.backend === 'local-server') {
      if (!this.localServerUrl)
        throw new UserFixableError(
          `no local engine answers on this computer: ${START_LOCAL_ENGINE} again (or choose another engine there)`,
        );
      return { endpoints: [this.localServerUrl], label: 'Local engine' };
    }
    return { endpoints: [this.settings.remoteUrl.replace(/\/+$/, '')], token: this.settings.remoteToken || undefined };
  }

  /** Starts the engine on a model; the edit starts afresh (the points and the image belong to the old model). */
  private async loadModel(entry: ModelEntry): Promise<void> {
    this.modelId = entry.id;
    const engine = await this.engine();
    this.model = engine.model;
    // the model's defaults under the stored values; the engine stays the one running (a found local engine is not stored)
    this.settings = {
      ...mergeSettings(defaultSettings(engine.model.defaults), await this.port.loadSettings()),
      backend: this.settings.backend,
    };
    this.events.modelLoaded(engine.model);
    this.task.status = `${engine.model.name}${engine.model.domain ? ` (draws ${engine.model.domain})` : ''}: ${sizeWords(engine.model)}, computed on ${engineWords(engine.description)}`;
  }

  async selectModel(id: string): Promise<void> {
    const entry = this.models.find((m) => m.id === id);
    if (!entry || id === this.modelId) return;
    if (!(await this.events.confirmDrop('Another model', 'Switch model'))) return this.host.requestUpdate();
    await this.task.run('Loading the model', () => this.loadModel(entry));
  }

  /** The host's models changed (Get models…): re-read them; open `id` (asked first, like a switch), or the first when the open one is gone. */
  async modelsChanged(id?: string): Promise<void> {
    if (servedBackend(this.settings.backend)) return;
    const listed = [...(await this.port.listModels()), ...this.imported];
    const next = listed.find((m) => m.id === (id ?? this.modelId)) ?? listed[0];
    this.models = listed;
    if (!next || next.id === this.modelId || (id && !(await this.events.confirmDrop('Another model', 'Switch model'))))
      return this.host.requestUpdate();
    await this.task.run('Loading the model', () => this.loadModel(next));
  }

  async importCheckpoint(): Promise<void> {
    const pick = this.port.pickCheckpoint;
    if (!pick) return;
    await this.task.run('Importing the checkpoint', async () => {
      const file = await pick.call(this.port);
      if (!file) return;
      this.task.status = `Importing ${file.name}…`;
      await yieldToEventLoop();
      const entry: ModelEntry = this.port.importCheckpoint
        ? await this.port.importCheckpoint(file)
        : {
            id: `import:${file.name}:${this.models.length}`,
            label: `${file.name} (imported)`,
            source: { kind: 'checkpoint', name: file.name, file: file.file },
          };
      const previous = this.models;
      if (servedBackend(this.settings.backend))
        this.settings = { ...this.settings, backend: this.localBackends[0] ?? 'wasm' };
      this.models = [...previous, entry];
      try {
        await this.loadModel(entry);
      } catch (e) {
        this.models = previous;
        throw e;
      }
      // a host that keeps imports lists them itself from now on
      if (!this.port.importCheckpoint) this.imported = [...this.imported, entry];
      entry.label = `${this.model?.name ?? file.name} (${this.model ? sizeWords(this.model) : '? px'}, imported)`;
    });
  }

  /**
   * Stores the change; another engine (or endpoint) restarts from the model list, and the promise ends with that. An
   * engine choice is stored once it has started: one that cannot start is not what the panel opens with next time.
   */
  async updateSettings(patch: Partial<Settings>): Promise<void> {
    const before = this.settings;
    const next = { ...this.settings, ...patch };
    // an endpoint's models are other models: the edit cannot come along
    const endpointChanged =
      next.backend !== before.backend && (servedBackend(next.backend) || servedBackend(before.backend));
    if (endpointChanged && !(await this.events.confirmDrop('Another engine', 'Switch engine')))
      return this.host.requestUpdate();
    this.settings = next;
    this.port.saveSettings({ ...this.settings, backend: this.storedBackend });
    this.host.requestUpdate();
    const s = this.settings;
    const remote = s.backend === 'remote';
    const started = () => {
      this.storedBackend = s.backend;
      this.port.saveSettings(this.settings);
    };
    if (endpointChanged || (remote && (s.remoteUrl !== before.remoteUrl || s.remoteToken !== before.remoteToken))) {
      // to or from an endpoint (or another one): its models are other models, so start over from the list
      if (!remote || /^https?:\/\/./.test(s.remoteUrl)) {
        await this.task.run('Starting the engine', async () => {
          // picked by the user: look for it again (it may have been started since)
          if (s.backend === 'local-server') await this.findLocalServer();
          await this.loadModels();
          started();
        });
      }
    } else if (s.backend !== before.backend && this.modelId) {
      // the same model on another local engine: the edit carries over
      await this.task.run('Starting the engine', async () => {
        await this.engine();
        started();
      });
    } else if (s.backend !== before.backend) started();
  }

  private key(): string {
    const s = this.settings;
    return JSON.stringify([
      this.modelId,
      s.backend,
      s.backend === 'remote' ? [s.remoteUrl, s.remoteToken] : s.backend === 'local-server' ? [this.localServerUrl] : [],
    ]);
  }

  /** The engine for the current model and engine setting, started on first use and kept. */
  async engine(): Promise<Engine> {
    const key = this.key();
    if (this.handle?.key === key) return this.handle.engine;
    const old = this.handle;
    this.handle = undefined;
    this.engineInfo = null;
    await old?.engine.release();
    const entry = this.models.find((m) => m.id === this.modelId);
    if (!entry) throw new UserFixableError('no model is selected; pick one in the model list');
    this.task.status = 'Starting the engine…';
    const s = this.settings;
    let engine: Engine;
    if (servedBackend(s.backend)) engine = await remoteEngine({ ...this.remoteOptions(), modelId: entry.id });
    else if (!entry.source)
      throw new UserFixableError('this model is on the remote endpoint; choose the remote engine in Settings');
    else engine = await this.port.openEngine(entry.source, this.localBackends.includes(s.backend) ? s.backend : 'wasm');
    this.handle = { key, engine };
    this.engineInfo = { description: engine.description, notes: engine.notes };
    this.task.status = engine.notes.length
      ? `Note: ${engine.notes.join('; ')}`
      : `Computing on ${engineWords(engine.description)}`;
    return engine;
  }
}
