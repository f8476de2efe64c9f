/**
 * The notifier's log: one JSON line per event on stdout (Logs Insights reads the fields). No
 * logging library: the bundle stays small, and nothing here needs redaction beyond never passing
 * the configuration (it holds the PagerDuty routing key).
 */

/** Fields of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** What the notifier logs through. */
export interface NotifierLog {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/**
 * A log writing JSON lines.
 *
 * @param write - where a line goes (default: stdout)
 * @example
 * ```ts
 * const log = jsonLog();
 * log.info('oidcwatch.notifier.paged', { alarm: 'oidcwatch-failure-spike' });
 * ```
 */
export function jsonLog(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  now: () => number = Date.now
): NotifierLog {
  const emit = (level: string, msg: string, fields: LogFields = {}) => {
    let line: string;
    try {
      line = JSON.stringify({ level, time: new Date(now()).toISOString(), msg, ...fields });
    } catch {
      line = JSON.stringify({ level, msg, unserialisable: true });
    }
    write(line);
  };
  return {
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
  };
}

/** `Name: message` of an error (SDK errors carry the service's error code as `name`). */
export function describeError(e: unknown, max = 300): string {
  const text =
    e instanceof Error ? `${e.name}: ${e.message}` : typeof e === 'string' ? e : String(e);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
