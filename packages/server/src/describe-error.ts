/** The message of anything thrown, without risking a second throw (a `toString` may itself throw). */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return 'a value that cannot be printed';
  }
}
