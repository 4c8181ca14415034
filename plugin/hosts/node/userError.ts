/**
 * A problem the user can fix (a missing file, a bad argument, an unreadable latent). Hosts show only its message:
 * a stack trace would bury the one line that matters.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
