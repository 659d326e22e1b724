import { createConnection } from '@socketboard/core';
import type { AuthOptions, ChannelMap, ClassifyClose, Connection, ConnectionOptions } from '@socketboard/core';

/**
 * The provider's options that restart its connection when they change: `url` when it is a string,
 * `protocols` (compared by value) and the wire `protocol` (compared by its `name`, so an inline
 * `socketboardProtocol()` per render does not count). Everything else is read once, when the
 * connection is created; callbacks are always called in their latest version.
 */
export const RESTARTING_PROPS = ['url', 'protocols', 'protocol'] as const;

/** A string that changes exactly when the connection must be replaced. */
export function restartKey(options: Pick<ConnectionOptions, 'url' | 'protocols' | 'protocol'>): string {
  const url = typeof options.url === 'string' ? `string:${options.url}` : 'function';
  const protocols =
    options.protocols === undefined
      ? ''
      : typeof options.protocols === 'string'
        ? options.protocols
        : options.protocols.join(',');
  return `${url}\u0000${protocols}\u0000${options.protocol?.name ?? ''}`;
}

function tokenGetter(auth: ConnectionOptions['auth']): AuthOptions['getToken'] | undefined {
  return typeof auth === 'function' ? auth : auth?.getToken;
}

/**
 * Creates a connection whose callbacks (`url` function, `auth` token getter, `reconnect.classifyClose`)
 * go through `latest()`, so a provider that re-renders with new inline functions uses them without
 * reconnecting. A callback removed later falls back to the one the connection was created with.
 */
export function createProviderConnection<TChannels extends ChannelMap>(
  initial: ConnectionOptions,
  latest: () => ConnectionOptions,
): Connection<TChannels> {
  const options: ConnectionOptions = { ...initial };
  const initialUrl = initial.url;
  if (typeof initialUrl === 'function') {
    options.url = () => {
      const url = latest().url;
      return typeof url === 'function' ? url() : initialUrl();
    };
  }
  const initialGetToken = tokenGetter(initial.auth);
  if (initialGetToken !== undefined) {
    const getToken: AuthOptions['getToken'] = (context) => (tokenGetter(latest().auth) ?? initialGetToken)(context);
    options.auth = typeof initial.auth === 'function' ? getToken : { ...initial.auth, getToken };
  }
  const initialClassify = initial.reconnect?.classifyClose;
  if (initialClassify !== undefined) {
    const classifyClose: ClassifyClose = (code, reason) =>
      (latest().reconnect?.classifyClose ?? initialClassify)(code, reason);
    options.reconnect = { ...initial.reconnect, classifyClose };
  }
  return createConnection<TChannels>(options);
}
