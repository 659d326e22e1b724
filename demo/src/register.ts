import type { DemoChannels } from '../shared/channels';

// Every hook and component of the kit now knows the demo's channel payloads.
declare module '@socketboard/react' {
  interface Register {
    channels: DemoChannels;
  }
}
