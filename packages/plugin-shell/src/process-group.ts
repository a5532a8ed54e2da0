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

const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * Remembers a running group so it is killed if the bot's process exits without stopping it (a crash
 * that still runs exit handlers). Returns the function that forgets it again.
 */
export function trackGroup(pid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
  liveGroups.add(pid);
  return () => liveGroups.delete(pid);
}
