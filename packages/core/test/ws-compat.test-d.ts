// Type test (checked by `npm run typecheck`): the `ws` package's WebSocket class is accepted as is,
// as the README's Node example promises, without a cast.
import { WebSocket } from 'ws';
import { createConnection } from '../src/index';

createConnection({ url: 'ws://127.0.0.1:1', WebSocket });
