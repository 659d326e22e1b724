/** What a component's `error` prop accepts: `true` for a generic error, a message, or an Error. */
export type ErrorProp = boolean | string | Error | null | undefined;

/** The message to show for an error prop, or undefined when there is no error. */
export function errorMessage(error: ErrorProp | { message: string }): string | undefined {
  if (error === undefined || error === null || error === false) return undefined;
  if (error === true) return '';
  if (typeof error === 'string') return error;
  return error.message;
}
