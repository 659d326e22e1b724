// `@socketboard/testing/react`: Testing Library helpers. A separate entry so that the mock server can
// be used where Testing Library is not installed (Storybook, the browser).
export { renderWithSocket } from './render-with-socket';
export type { MswApi, RenderWithSocketOptions, RenderWithSocketResult } from './render-with-socket';
export { DEFAULT_MOCK_URL } from './default-url';
