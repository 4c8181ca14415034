import { readFileSync } from 'fs';
import { join } from 'path';
import { dragSettings } from '../../plugin/core/dragSettings';
import { PROTOCOL_VERSION, ROUTES } from '../../plugin/remote/protocol';
import { STOP_REASONS } from '../../plugin/remote/replies';

/** The OpenAPI document is the contract for other clients: it must name what the code serves. */
const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'api', 'openapi.yaml'), 'utf8');

test('the OpenAPI document lists every route, the protocol version and every stop reason', () => {
  for (const path of Object.values(ROUTES))
    expect(doc).toMatch(new RegExp(`^  ${path.replace(/[/-]/g, '\\$&')}:$`, 'm'));
  expect(doc).toMatch(new RegExp(`version: "${PROTOCOL_VERSION}"`));
  expect(doc).toContain(`enum: [${STOP_REASONS.join(', ')}]`);
});

test('the OpenAPI document lists every drag setting under its wire name, with its bounds', () => {
  const schema = doc.slice(doc.indexOf('    HyperParameters:'), doc.indexOf('    DragState:'));
  for (const [, s] of dragSettings()) {
    if (s.kind === 'choice')
      expect(schema).toMatch(
        new RegExp(
          `^        ${s.wire}: \\{ type: string, enum: \\[${s.values.map((v) => `"?${v.replace('+', '\\+')}"?`).join(', ')}\\]`,
          'm',
        ),
      );
    else
      expect(schema).toMatch(
        new RegExp(
          `^        ${s.wire}: \\{ type: (number|integer),.* minimum: ${s.limit.min}, maximum: ${s.limit.max}`,
          'm',
        ),
      );
  }
});
