/**
 * Sends `signal` to every process in the group led by `pid` (scripts run detached, so their pid is
 * their process group id). False when the group no longer exists.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    // EPERM: something in the group is not ours to signal (e.g. a setuid program); it still exists.
    if (code === 'EPERM') return true;
    throw error;
  }
}

/** True while any process (including a not yet reaped zombie) is left in the group. */
export function groupExists(pid: number): boolean {
  return signalGroup(pid, 0);
}
