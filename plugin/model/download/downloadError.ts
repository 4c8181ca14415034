/** The errors of a model download, in every host: what happened, and whether the bytes so far were kept. */
import { UserFixableError } from '../../core/errors';

export class DownloadError extends UserFixableError {
  override name = 'DownloadError';
}

/** The user stopped the download (Cancel, Ctrl-C): what arrived is kept, so the next try resumes. */
export class DownloadStopped extends DownloadError {
  override name = 'DownloadStopped';
}

/** No answer ever came from the server (down, offline, or a page refused by the site's CORS rules): nothing was kept. */
export class DownloadUnreachable extends DownloadError {
  override name = 'DownloadUnreachable';
}
