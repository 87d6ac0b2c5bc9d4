/**
 * A small structured logger: one JSON line per entry, a constant message plus a context object,
 * persistent keys (service, correlation IDs) appended per job. Equivalent to Powertools Logger for
 * our needs, without its weight in the webhook bundle.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
  /** A logger that adds `keys` to every entry (e.g. a job's correlation ID). */
  child(keys: Record<string, unknown>): Logger;
}

export function createLogger(options: {
  service: string;
  level?: LogLevel;
  write?: (line: string) => void;
  keys?: Record<string, unknown>;
}): Logger {
  const level = options.level ?? 'info';
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const keys = { service: options.service, ...options.keys };
  const log = (at: Exclude<LogLevel, 'silent'>, message: string, context?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    write(
      JSON.stringify(
        { level: at, message, timestamp: new Date().toISOString(), ...keys, ...context },
        errorReplacer,
      ),
    );
  };
  return {
    debug: (m, c) => log('debug', m, c),
    info: (m, c) => log('info', m, c),
    warn: (m, c) => log('warn', m, c),
    error: (m, c) => log('error', m, c),
    child: (more) => createLogger({ ...options, keys: { ...options.keys, ...more } }),
  };
}

function errorReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const json = (value as { toJSON?: () => unknown }).toJSON?.();
    return json ?? { name: value.name, message: value.message };
  }
  return value;
}

/** Reads LOG_LEVEL; an unknown value falls back to info. */
export function logLevelFromEnv(value: string | undefined): LogLevel {
  return value !== undefined && value in ORDER ? (value as LogLevel) : 'info';
}
