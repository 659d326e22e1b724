/**
 * The channel map this package's tests register, as an app would. Module augmentation is global to
 * a compilation, so every test in packages/react is type-checked with it: tests use these names.
 *
 * An app writes `declare module '@socketboard/react'`; here the package entry is named by path,
 * because inside this repository `@socketboard/react` resolves to `dist/` once it is built (the
 * `types` condition comes before `source` in package.json), and the sources would not see it.
 */
export type TestChannels = {
  cpu: { load: number };
  chat: { from: string; text: string };
  a: number;
  b: number;
};

declare module '../src/index' {
  interface Register {
    channels: TestChannels;
  }
}
