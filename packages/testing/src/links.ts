import { ws } from 'msw';
import type { WebSocketLink } from 'msw';

// Every `ws.link()` adds a listener to one BroadcastChannel shared by all of msw, and Node warns past
// ten. Tests make a mock server per test, usually on the same URL: one link per URL is enough, since
// each `addEventListener` still makes a handler of its own.
const links = new Map<string, WebSocketLink>();

export function linkFor(url: string): WebSocketLink {
  let link = links.get(url);
  if (link === undefined) {
    link = ws.link(url);
    links.set(url, link);
  }
  return link;
}
