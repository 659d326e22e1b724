export { createConnection } from './connection';
export type {
  Ack,
  ChannelMap,
  ChannelName,
  Connection,
  ConnectionEvents,
  ConnectionInspection,
  InboundMessage,
  MetricsState,
  PublishOptions,
  SendResult,
} from './connection';
export type {
  ChannelListener,
  ChannelState,
  ChannelStatus,
  MessageMeta,
  ReadonlyStore,
  SubscribeOptions,
} from './channel';
export type { CloseInfo, ConnectionState, ConnectionStatus } from './state';
export { INITIAL_CONNECTION_STATE } from './state';
export { DEFAULT_CONNECTION_OPTIONS } from './defaults';
export type {
  AuthContext,
  AuthOptions,
  BackpressureOptions,
  ClassifyClose,
  CloseAction,
  ConnectionOptions,
  HeartbeatOptions,
  MetricsOptions,
  OverflowPolicy,
  QueueOptions,
  ReconnectOptions,
  UrlProvider,
} from './options';
export { backoffDelay, createClassifyClose, defaultClassifyClose, DEFAULT_CLOSE_CODES } from './backoff';
export { socketboardProtocol, SOCKETBOARD_V1 } from './protocol/socketboard';
export { rawJsonProtocol } from './protocol/raw-json';
export type { RawJsonProtocolOptions } from './protocol/raw-json';
export type { DecodeResult, InboundEvent, InboundFrame, OutboundFrame, Protocol } from './protocol/types';
export { EMPTY_METRICS } from './metrics';
export type { MetricsSnapshot } from './metrics';
export { RingBuffer } from './ring-buffer';
export { createStoragePersistence } from './queue-storage';
export type { PersistHandle, PersistSource, QueuePersistence } from './queue-storage';
export type { QueueEntry } from './queue';
export { defaultSignals, defaultTimers } from './environment';
export type {
  EnvironmentSignals,
  SignalEvent,
  StorageAdapter,
  Timers,
  WebSocketConstructor,
  WebSocketLike,
} from './environment';
export type { InferSchemaOutput, StandardSchemaV1 } from './standard-schema';
export {
  AckTimeoutError,
  ConnectionClosedError,
  DecodeError,
  MessageDroppedError,
  NackError,
  ServerError,
  SocketboardConfigError,
  SocketboardError,
  TransportError,
} from './errors';
export type { DropReason } from './errors';
