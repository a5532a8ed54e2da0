import { type Card, type CardAction, formatDuration } from '@chatops/core';

/** The action behind a run's Cancel button. */
export const CANCEL_ACTION = 'shell.cancel';

/** What the progress message of a run shows. */
export interface RunState {
  runId: string;
  script: string;
  invocation: string;
  requester: string;
}

function cancelButton(run: RunState): CardAction {
  return {
    label: 'Cancel',
    action: CANCEL_ACTION,
    args: { run: run.runId, script: run.script },
    style: 'danger',
    confirm: {
      title: `Cancel ${run.script}?`,
      text: 'The script and everything it started are terminated.',
      ok: 'Cancel run',
      dismiss: 'Keep running',
    },
  };
}

/** Shown while a run waits for a free slot. */
export function queuedCard(run: RunState, position: number, limit: number): Card {
  const running = limit === 1 ? 'Another run is' : `${limit} runs are`;
  return {
    title: `${run.script} is queued`,
    status: 'info',
    text: `${running} going (the limit for ${run.script}); this one is number ${position} in the queue and starts when one finishes.`,
    fields: [
      { label: 'Command', value: run.invocation, short: true },
      { label: 'Requested by', value: run.requester, short: true },
    ],
    actions: [cancelButton(run)],
  };
}

/** Shown (and updated in place) while a run takes long. */
export function runningCard(run: RunState, elapsedMs: number, lines: number, lastLine: string): Card {
  const card: Card = {
    title: `${run.script} is running`,
    status: 'info',
    fields: [
      { label: 'Command', value: run.invocation, short: true },
      { label: 'Elapsed', value: formatDuration(elapsedMs), short: true },
      { label: 'Output so far', value: lines === 1 ? '1 line' : `${lines} lines`, short: true },
      { label: 'Requested by', value: run.requester, short: true },
    ],
    actions: [cancelButton(run)],
  };
  if (lastLine) card.code = lastLine;
  return card;
}
