import {
  BackendError,
  CheckpointError,
  DragInputError,
  EndpointBusyError,
  EndpointUnreachableError,
  ProtocolMismatchError,
  TokenRefusedError,
  UnknownModelError,
} from '../../plugin/core/errors';
import { explainError } from '../../plugin/ui/explainError';

describe('the panel says what went wrong by the error class, never by its wording', () => {
  test.each([
    [
      new TokenRefusedError('401 from http://x'),
      /^The remote endpoint refused the token \(401 from http:\/\/x\)\. Enter the right token in Settings\.$/,
    ],
    [
      new EndpointUnreachableError('connection refused'),
      /^Cannot reach the remote endpoint \(connection refused\)\. Check the URL/,
    ],
    [
      new ProtocolMismatchError('speaks protocol 2'),
      /another protocol version \(speaks protocol 2\)\. Update the plugin or the server/,
    ],
    [
      new UnknownModelError("the endpoint has no model 'cats'"),
      /^The endpoint has no model 'cats'\. Pick one of the endpoint's models\.$/,
    ],
    [new EndpointBusyError('429 three times'), /busy \(429 three times\)\. Try again/],
    [
      new BackendError('no execution backend could start:\n  - webgpu: no adapter', [
        { backend: 'webgpu', error: 'no adapter' },
      ]),
      /^No execution backend could start \(webgpu: no adapter\)\. Choose another engine in Settings\.$/,
    ],
    [new CheckpointError('unsafe', 'it calls os.system'), /^Cannot import this checkpoint: it calls os\.system$/],
    [new DragInputError('handle 1 (300, 2) is outside the image'), /^Handle 1 \(300, 2\) is outside the image\.$/],
  ])('%s', (e, message) => {
    expect(explainError(e, 'Dragging')).toMatch(message);
  });

  test('an error of no known class is an internal error, whatever its message says', () => {
    // the old text matching read "401" and "unreachable" as a token or network problem
    expect(explainError(new Error('401 unreachable'), 'Generating')).toBe(
      'Generating failed (an internal error; please report it): 401 unreachable',
    );
  });

  test('an endpoint a page cannot reach: the message names the --allow-origin value for this page, once', () => {
    const text = explainError(
      new EndpointUnreachableError('cannot reach http://gpu:8080 (2 tries; last: Failed to fetch)'),
      'Loading models',
      'https://panel.example.com',
    );
    expect(text).toMatch(/start it with --allow-origin https:\/\/panel\.example\.com so that this page may call it\.$/);
    expect(text.match(/--allow-origin/g)).toHaveLength(1);
    // Photoshop's requests carry no page origin: no flag to name
    expect(explainError(new EndpointUnreachableError('x'), 'Loading models')).not.toMatch(/--allow-origin/);
  });
});
