export { createMockSocketServer } from './mock-socket-server';
export type {
  ClientPublish,
  MockClient,
  MockFrame,
  MockSocketServer,
  MockSocketServerOptions,
  NackOptions,
  RefusalOptions,
} from './types';
export { DEFAULT_MOCK_URL } from './default-url';
