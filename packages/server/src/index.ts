export { createSocketServer } from './server';
export type { CloseOptions, Refusal, SocketServer, SocketServerEvents } from './socket-server';
export { DEFAULT_SERVER_OPTIONS } from './options';
export type {
  BatchOptions,
  ChannelAction,
  ConnectionInfo,
  HeartbeatOptions,
  MaybePromise,
  PerMessageDeflateOptions,
  PublishContext,
  PublishDecision,
  RateLimitOptions,
  ReplayOptions,
  SessionOptions,
  SlowConsumerOptions,
  SocketServerOptions,
} from './options';
export type { ServerMetrics } from './metrics';
export type {
  Broker,
  BrokerHealth,
  BrokerHealthListener,
  BrokerListener,
  BrokerMessage,
  ClaimResult,
  ReplayResult,
  SessionResult,
} from './broker';
export { createMemoryBroker, DEFAULT_MEMORY_BROKER_OPTIONS } from './memory-broker';
export type { MemoryBrokerOptions } from './memory-broker';
export { CHANNEL_NAME_PATTERN, isValidChannelName, MAX_CHANNEL_LENGTH } from './channel-name';
export { AUTH_SUBPROTOCOL_PREFIX, tokenFromRequest } from './token';
export type { TokenSources } from './token';
export { AuthRejectedError, SocketServerConfigError, SocketServerError } from './errors';
