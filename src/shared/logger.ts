/** JSON lines on stderr: one object per event, readable by any log shipper. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function createLogger(level: (typeof LEVELS)[number]): Logger {
  const min = LEVELS.indexOf(level);
  const emit =
    (lvl: (typeof LEVELS)[number]) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS.indexOf(lvl) < min) return;
      const out: Record<string, unknown> = { t: new Date().toISOString(), level: lvl, msg };
      for (const [k, v] of Object.entries(fields)) out[k] = v instanceof Error ? { message: v.message, stack: v.stack } : v;
      process.stderr.write(`${JSON.stringify(out)}\n`);
    };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
