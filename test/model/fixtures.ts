/** Fixture file access for the model tests (the engine itself never touches the file system). */
import { readFileSync } from 'fs';
import { join } from 'path';

export const FIXTURES = join(__dirname, '..', 'fixtures');

export function fixture(...parts: string[]): Uint8Array {
  const b = readFileSync(join(FIXTURES, ...parts));
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

export function fixtureText(...parts: string[]): string {
  return readFileSync(join(FIXTURES, ...parts), 'utf8');
}
