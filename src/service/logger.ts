import { format } from 'node:util';
import { pino, type Logger } from 'pino';
import type { Config } from '../config/config.js';

export type { Logger } from 'pino';

/**
 * The one structured logger of a service process (API, worker, sandboxed OCR child): pino, JSON
 * lines on stderr, the same one Fastify logs requests with. Components take child loggers
 * (`{ role }`, `{ jobId, documentId }`, `{ reqId }`) so every line can be traced to its document.
 */
export function createLogger(config: Pick<Config, 'log'>, bindings: Record<string, unknown> = {}): Logger {
  return pino({
    level: config.log.level,
    base: { pid: process.pid, ...bindings },
    // Internals never leak through err serialisation beyond message, type and stack.
    serializers: { err: pino.stdSerializers.err },
  }, pino.destination({ fd: 2, sync: true }));
}

/** A logger that drops everything (tests, library callers that pass none). */
export const silentLogger: Logger = pino({ level: 'silent' });

let routed = false;
/**
 * Libraries that print instead of logging (pdfjs writes `Warning: ...` with console.log, tesseract
 * and others use console.*) go through the logger, so a service process writes only JSON lines.
 * Called once per service process; the CLI's own commands keep the plain console.
 */
export function routeConsoleToLogger(log: Logger): void {
  if (routed) return;
  routed = true;
  const lib = log.child({ src: 'console' });
  const route = (level: 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const msg = format(...args);
    if (/^Warning: /.test(msg)) lib.child({ src: 'pdfjs' }).warn(msg.slice('Warning: '.length));
    else lib[level](msg);
  };
  console.log = route('info');
  console.info = route('info');
  console.warn = route('warn');
  console.error = route('error');
  console.debug = (...args: unknown[]) => lib.debug(format(...args));
}
