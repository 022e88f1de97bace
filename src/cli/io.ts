// Output helpers shared by the CLI commands.

/** Write and wait for the stream to take it (large reports to a pipe must not be cut off). */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (stream.write(text)) resolve();
    else stream.once('drain', () => resolve());
  });
}

/** A usage error: the message, a blank line, the usage text; exit code 2. */
export async function usageError(stderr: NodeJS.WritableStream, command: string, message: string, usage: string): Promise<number> {
  await write(stderr, `authlint ${command}: ${message}\n\n${usage}`);
  return 2;
}
