import { Profiler } from 'react';
import { createRoot } from 'react-dom/client';
import { NaiveApp } from './naive-app';
import { installProbe, onCommit } from './probe';
import { SocketboardApp } from './socketboard-app';
import { startWsOnly } from './ws-only';

const APPS = { socketboard: SocketboardApp, naive: NaiveApp };

const params = new URLSearchParams(location.search);
const variant = params.get('variant') ?? '';
const url = params.get('ws');
if (url === null || !(variant in APPS || variant === 'ws-only')) {
  throw new Error(
    `Open this page with ?variant=socketboard|naive|ws-only&ws=ws://…, got ${location.search || 'no query'}`,
  );
}
document.title = `bench: ${variant}`;

installProbe();
if (variant === 'ws-only') {
  startWsOnly(url);
} else {
  const App = APPS[variant as keyof typeof APPS];
  // The build aliases react-dom/client to react-dom/profiling, so onRender runs in this production bundle.
  createRoot(document.getElementById('root')!).render(
    <Profiler id="board" onRender={onCommit}>
      <App url={url} />
    </Profiler>,
  );
}
