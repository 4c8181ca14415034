// A webpack loader for a script that only declares a global (h264-mp4-encoder's web build: `var HME = ...`): it
// appends `module.exports = <name>`, so the script bundles as a module instead of being loaded by a <script> tag.
module.exports = function exportGlobal(source) {
  const { name } = this.getOptions();
  return `${source}\nmodule.exports = ${name};\n`;
};
