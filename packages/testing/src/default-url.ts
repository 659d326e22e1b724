/** Where `renderWithSocket` points a new mock server when no `url` is given. Never a real host. */
export const DEFAULT_MOCK_URL = 'wss://socketboard.test/socket';
