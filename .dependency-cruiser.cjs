/**
 * The layer map of plugin/ (see DESIGN.md, "Layers"), enforced by `npm run lint:deps` inside `npm test`.
 * Low -> high; a folder may import its own layer and the layers below it, never above.
 */
const LAYERS = [
  ['graph', 'codecs'], // codecs: pure-TS file formats (PNG container, CRC, zip) and the 8-bit image, shared by the panel and Node hosts
  ['core'], // the contract every layer shares: the drag settings' table, error classes, limits, the edit state
  ['runtime'],
  ['stylegan2'],
  ['model'],
  ['drag', 'invert', 'faces'], // faces: photo face finding, landmarks, alignment and compositing an edit back
  ['remote', 'eval'], // remote: client of the remote drag server; eval: benchmarks of the drag loop
  // the one seam hosts use: Engine (local, worker, remote), the backend table, model sources
  ['engine'],
  ['ui'], // Lit elements and controllers; talk to a host through the port interface ui/ defines
  ['hosts'], // entry points: they implement the port and mount the ui, so they sit on top
];

/** Engine code runs unchanged in Node, browsers and the UXP panel, so it may not touch any host. */
const ENGINE = [
  'graph',
  'codecs',
  'core',
  'stylegan2',
  'model',
  'drag',
  'invert',
  'faces',
  'runtime',
  'remote',
  'eval',
  'engine',
];

const folder = (names) => `^plugin/(${names.map((name) => `${name}/`).join('|')})`;

const layerRules = LAYERS.slice(0, -1).map((own, i) => {
  const above = LAYERS.slice(i + 1).flat();
  return {
    name: `layer-${own.join('-')}`,
    comment: `${own.join(', ')} may not import the layers above it (${above.join(', ')})`,
    severity: 'error',
    from: { path: folder(own) },
    to: { path: folder(above) },
  };
});

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'not-in-a-layer',
      comment:
        'every file under plugin/ belongs to a layer folder; add new folders to LAYERS in .dependency-cruiser.cjs',
      severity: 'error',
      from: { path: '^plugin/', pathNot: folder(LAYERS.flat()) },
      to: {},
    },
    {
      name: 'not-in-a-layer-orphan',
      comment: 'the same for files that import nothing',
      severity: 'error',
      from: { path: '^plugin/', pathNot: folder(LAYERS.flat()), orphan: true },
      to: {},
    },
    {
      name: 'onnxruntime-only-in-runtime',
      comment:
        'only plugin/runtime/ort*.ts may import onnxruntime-*: every other module goes through the Runtime interface',
      severity: 'error',
      from: { pathNot: '^plugin/runtime/ort[^/]*\\.ts$' },
      to: { path: '(^|/)node_modules/onnxruntime-(node|web|common)/|^onnxruntime-(node|web|common)$' },
    },
    {
      name: 'engine-no-node-builtins',
      comment:
        'engine folders run in browsers and the UXP panel too: no Node built-ins (use them in plugin/hosts/node)',
      severity: 'error',
      from: { path: folder(ENGINE) },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'engine-no-host-or-ui',
      comment: 'engine folders never import photoshop, uxp or lit',
      severity: 'error',
      from: { path: folder(ENGINE) },
      to: { path: '(^|/)node_modules/(lit|lit-html|lit-element|@lit/[^/]+)/|^(photoshop|uxp|lit)(/|$)' },
    },
    {
      name: 'photoshop-only-in-its-host',
      comment: 'only plugin/hosts/photoshop touches the photoshop and uxp modules',
      severity: 'error',
      from: { pathNot: '^plugin/hosts/photoshop/' },
      to: { path: '^(photoshop|uxp)(/|$)' },
    },
    {
      name: 'no-circular',
      comment: 'no import cycles',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'every import resolves (a typo would otherwise pass the layer rules unnoticed)',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^(photoshop|uxp)$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // type-only imports count: a layer leaks through types as surely as through values
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
