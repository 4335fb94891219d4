import type { AppError, ErrorCode } from '../contract';

/** Thrown inside the core; turned into `{ok: false, error}` at the dispatch boundary. */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: string,
    readonly fields?: AppError['fields'],
  ) {
    super(message);
    this.name = 'CoreError';
  }

  toAppError(): AppError {
    const e: AppError = { code: this.code, message: this.message };
    if (this.detail !== undefined) e.detail = this.detail;
    if (this.fields !== undefined) e.fields = this.fields;
    return e;
  }
}

export function describeCause(e: unknown): string {
  if (e instanceof Error) {
    const parts = [`${e.name}: ${e.message}`];
    const code = (e as NodeJS.ErrnoException).code;
    if (code && !e.message.includes(code)) parts.push(`(${code})`);
    const inner = (e as { cause?: unknown; originalError?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
    if (inner && inner !== e) parts.push(`\ncaused by ${describeCause(inner)}`);
    return parts.join(' ');
  }
  return String(e);
}
