/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: '<rootDir>/test/helpers/ortEnvironment.js',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  
  testTimeout: 120000,
};
