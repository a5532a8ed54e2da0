type NodeSqlite = typeof import('node:sqlite');

let loaded: Promise<NodeSqlite> | undefined;

/**
 * Loads Node's built-in `node:sqlite`. Node 22 flags the module as experimental with a warning on
 * first load; that one warning is dropped (the module is stable enough for a key/value table), any
 * other warning still goes through.
 */
export function loadNodeSqlite(): Promise<NodeSqlite> {
  loaded ??= (async () => {
    const emitWarning = process.emitWarning;
    process.emitWarning = function filtered(
      this: NodeJS.Process,
      warning: string | Error,
      ...rest: unknown[]
    ) {
      if (isSqliteExperimentalWarning(warning, rest[0])) return;
      return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
    } as typeof process.emitWarning;
    try {
      return await import('node:sqlite');
    } finally {
      process.emitWarning = emitWarning;
    }
  })();
  return loaded;
}

function isSqliteExperimentalWarning(warning: string | Error, typeOrOptions: unknown): boolean {
  const type =
    typeof typeOrOptions === 'string'
      ? typeOrOptions
      : ((typeOrOptions as { type?: string } | undefined)?.type ??
        (warning instanceof Error ? warning.name : undefined));
  const message = typeof warning === 'string' ? warning : warning.message;
  return type === 'ExperimentalWarning' && /\bSQLite\b/i.test(message);
}
