// `@socketboard/core/protocol`: the wire protocol alone, for servers and tools that must not load the
// browser engine (or zustand).
export { socketboardProtocol, SOCKETBOARD_V1 } from './socketboard';
export { rawJsonProtocol } from './raw-json';
export type { RawJsonProtocolOptions } from './raw-json';
export { utf8ByteLength, frameByteLength } from './utf8';
export { excerpt } from './excerpt';
export type { DecodeResult, InboundEvent, InboundFrame, OutboundFrame, Protocol } from './types';
