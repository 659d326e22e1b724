import { createServer } from 'node:net';

/**
 * A TCP port on 127.0.0.1 that was free a moment ago: bound to port 0, read, released.
 * Handy as a target nobody listens on (connections to it are refused). Another process could take
 * it in between, so use it for "nothing listens here", not to reserve a port for later.
 */
export function getFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('getFreePort: the server did not report a TCP address.'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}
