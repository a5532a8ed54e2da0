import { type CardStatus, formatDuration } from '@chatops/core';
import type { Termination } from './run-process.js';
import { describeStop } from './stop-reason.js';

/** How a run ended, in words. */
export interface TerminationSummary {
  /** `disk-usage timed out after 30s` */
  title: string;
  status: CardStatus;
  /** `0`, `3`, `SIGSEGV`, `killed`, `none` */
  exit: string;
  /** True only for exit code 0. */
  succeeded: boolean;
}

/** Describes how `script` ended; `timeoutMs` is its declared timeout. */
export function summarizeTermination(
  script: string,
  termination: Termination,
  timeoutMs: number,
): TerminationSummary {
  const failed = (title: string, exit: string, status: CardStatus = 'danger'): TerminationSummary => ({
    title: `${script} ${title}`,
    status,
    exit,
    succeeded: false,
  });
  switch (termination.kind) {
    case 'exited':
      return termination.code === 0
        ? { title: `${script} finished`, status: 'ok', exit: '0', succeeded: true }
        : failed(`failed with exit code ${termination.code}`, String(termination.code));
    case 'signalled':
      return failed(`was killed by ${termination.signal}`, termination.signal);
    case 'timeout':
      return failed(`timed out after ${formatDuration(timeoutMs)}`, 'killed');
    case 'failed-to-start':
      return failed(`could not start: ${termination.message}`, 'none');
    case 'aborted':
      return failed(describeStop(termination.reason), 'killed', 'warn');
  }
}
