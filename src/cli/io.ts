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

/**
 * Walks command-line arguments: `--flag value` and `--flag=value` alike. `visit` gets the flag
 * name, a function that takes its value, and the raw argument; it returns an error message to
 * stop, or undefined to go on.
 */
export function eachArg(argv: string[], visit: (name: string, value: () => string | undefined, raw: string) => string | undefined): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const inline = a.startsWith('--') && eq > 0 ? a.slice(eq + 1) : undefined;
    const error = visit(name, () => inline ?? argv[++i], a);
    if (error !== undefined) return error;
  }
  return undefined;
}

/** The flags of commands that send requests. */
export interface TransportFlags {
  timeoutMs?: number;
  insecure: boolean;
}

/** Handles --timeout and --insecure; false when `name` is neither. */
export function transportFlag(name: string, value: () => string | undefined, out: TransportFlags): string | undefined | false {
  switch (name) {
    case '--timeout': {
      const v = value();
      if (!v || !/^[1-9]\d*$/.test(v)) return `--timeout needs a number of milliseconds, got ${v ?? 'nothing'}`;
      out.timeoutMs = Number(v);
      return undefined;
    }
    case '--insecure':
      out.insecure = true;
      return undefined;
    default:
      return false;
  }
}

/** The flags every report-printing command takes. */
export interface ReportFlags {
  format: 'text' | 'json' | 'html';
  showSecrets: boolean;
  help: boolean;
}

/** Handles --format, --show-secrets and --help; false when `name` is none of them. */
export function reportFlag(name: string, value: () => string | undefined, out: ReportFlags): string | undefined | false {
  switch (name) {
    case '--format': {
      const v = value();
      if (v !== 'text' && v !== 'json' && v !== 'html') return `--format must be text, json or html (got ${v ?? 'nothing'})`;
      out.format = v;
      return undefined;
    }
    case '--show-secrets':
      out.showSecrets = true;
      return undefined;
    case '-h':
    case '--help':
      out.help = true;
      return undefined;
    default:
      return false;
  }
}
