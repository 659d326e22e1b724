import type { ChannelMap } from '@socketboard/core';

/**
 * Register your app's channel map once, and every hook of this package knows each channel's payload:
 *
 * ```ts
 * declare module '@socketboard/react' {
 *   interface Register {
 *     channels: { cpu: { load: number }; chat: { from: string; text: string } };
 *   }
 * }
 * ```
 *
 * Without it, any channel name is accepted and payloads are `unknown`. For a map per provider
 * instead of one per app, use {@link createSocketHooks}.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface Register {}

/**
 * The registered channel map, or any name with `unknown` payloads when none is registered. The
 * mapped type lets an `interface` be registered too (interfaces have no implicit index signature).
 */
export type RegisteredChannels = Register extends { channels: infer TChannels }
  ? { [K in keyof TChannels & string]: TChannels[K] }
  : ChannelMap;
