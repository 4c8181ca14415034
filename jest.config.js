/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  // ts-jest with fast globals (see the file)
  transform: {
    '^.+\\.tsx?$': '<rootDir>/test/helpers/localGlobalsTransform.js',
    // tinyh264's decoder made a module Node runs, as the node bundle has it (see the loader)
    'tinyh264[\\\\/]lib[\\\\/]TinyH264\\.js$': '<rootDir>/webpack-loaders/tinyH264Loader.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!tinyh264/)'],
  testEnvironment: '<rootDir>/test/helpers/ortEnvironment.js',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // Photoshop's host modules exist only inside Photoshop: tests get the faithful fakes in test/fakes
  moduleNameMapper: {
    '^photoshop$': '<rootDir>/test/fakes/photoshop.ts',
    '^uxp$': '<rootDir>/test/fakes/uxp.ts',
    // UXP's require('fs') (plugin/hosts/photoshop/uxpFs.ts), not Node's
    '^\\./uxpFs$': '<rootDir>/test/fakes/uxpFs.ts',
  },
  testTimeout: 120000,
};
