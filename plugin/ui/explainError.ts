/**
 * Turns whatever went wrong into one sentence for the panel: what happened and what to do about it. Decided by the
 * error's class (core/errors), never by its wording.
 */
import {
  BackendError,
  CheckpointError,
  EndpointBusyError,
  EndpointUnreachableError,
  ModelConfigError,
  ProtocolMismatchError,
  TokenRefusedError,
  UnknownModelError,
  UserFixableError,
} from '../core/errors';

const sentence = (msg: string) => `${msg[0]?.toUpperCase() ?? ''}${msg.slice(1)}${/[.!?]$/.test(msg) ? '' : '.'}`;

/** `pageOrigin`: the web page's origin, which an endpoint must allow before the page can reach it (HostPort). */
export function explainError(e: unknown, doing: string, pageOrigin?: string): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (e instanceof TokenRefusedError)
    return `The remote endpoint refused the token (${msg}). Enter the right token in Settings.`;
  if (e instanceof EndpointUnreachableError) {
    // a page's request to an endpoint that does not allow its origin fails just as one to a server that is down
    const origin = pageOrigin
      ? ` If it runs, start it with --allow-origin ${pageOrigin} so that this page may call it.`
      : '';
    return `Cannot reach the remote endpoint (${msg}). Check the URL in Settings and that the server runs.${origin}`;
  }
  if (e instanceof ProtocolMismatchError)
    return `The remote endpoint speaks another protocol version (${msg}). Update the plugin or the server so they match.`;
  if (e instanceof UnknownModelError) return `${sentence(msg)} Pick one of the endpoint's models.`;
  if (e instanceof EndpointBusyError) return `The remote endpoint is busy (${msg}). Try again in a moment.`;
  if (e instanceof BackendError) {
    const why = e.failures.map((f) => `${f.backend}: ${f.error}`).join('; ');
    const head = msg.split('\n')[0].replace(/:$/, '');
    return `${head[0]?.toUpperCase() ?? ''}${head.slice(1)}${why ? ` (${why})` : ''}. Choose another engine in Settings.`;
  }
  if (e instanceof CheckpointError) return `Cannot import this checkpoint: ${msg}`;
  if (e instanceof ModelConfigError) return `The model package is not valid: ${msg}`;
  if (e instanceof UserFixableError) return sentence(msg);
  return `${doing} failed (an internal error; please report it): ${msg}`;
}
