import { readFileSync } from 'fs';
import { join } from 'path';
import { PROTOCOL_VERSION, ROUTES } from '../../plugin/remote/protocol';
import { STOP_REASONS } from '../../plugin/remote/replies';

/** The OpenAPI document is the contract for other clients: it must name what the code serves. */
const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'api', 'openapi.yaml'), 'utf8');

test('the OpenAPI document lists every route, the protocol version and every stop reason', () => {
  for (const path of Object.values(ROUTES)) expect(doc).toMatch(new RegExp(`^  ${path.replace(/[/-]/g, '\\$&')}:$`, 'm'));
  expect(doc).toMatch(new RegExp(`version: "${PROTOCOL_VERSION}"`));
  expect(doc).toContain(`enum: [${STOP_REASONS.join(', ')}]`);
});
