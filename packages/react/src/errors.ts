import { SocketboardError } from '@socketboard/core';

/** A hook of this package ran in a component that has no `<SocketProvider>` above it. */
export class SocketProviderMissingError extends SocketboardError {
  /** The hook that was called, e.g. `useChannel`. */
  readonly hook: string;

  constructor(hook: string) {
    super(
      'no-provider',
      `${hook}() was called outside a <SocketProvider>. Render the component inside ` +
        `<SocketProvider url="wss://…"> (or <SocketProvider connection={connection}>); in tests, wrap it in one too.`,
    );
    this.name = 'SocketProviderMissingError';
    this.hook = hook;
  }
}
