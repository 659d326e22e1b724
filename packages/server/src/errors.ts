/**
 * Every error the server raises or reports is a `SocketServerError` with a stable `code`, so apps
 * can branch on `err.code` instead of parsing messages.
 */
export class SocketServerError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SocketServerError';
    this.code = code;
  }
}

/** An option passed to `createSocketServer` or `createMemoryBroker` is invalid. Thrown at creation. */
export class SocketServerConfigError extends SocketServerError {
  readonly option: string;

  constructor(option: string, problem: string) {
    super('config', `Invalid option \`${option}\`: ${problem}`);
    this.name = 'SocketServerConfigError';
    this.option = option;
  }
}

/**
 * Throw (or reject with) this from `authenticate` to choose the HTTP status of the refusal:
 * 401 when the request carries no usable credentials, 403 when it does but they are not good enough.
 * Any other rejection refuses with 401.
 */
export class AuthRejectedError extends SocketServerError {
  readonly status: 401 | 403;

  constructor(status: 401 | 403, message: string) {
    super(status === 401 ? 'unauthorized' : 'forbidden', message);
    this.name = 'AuthRejectedError';
    this.status = status;
  }
}
