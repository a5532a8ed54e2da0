#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// Node keeps the compiled code of the CLI and its dependencies on disk, so later starts skip most of
// the compiling: in $NODE_COMPILE_CACHE when set, else in <os temp dir>/node-compile-cache. When that
// directory cannot be written the cache is off and nothing else changes; NODE_DISABLE_COMPILE_CACHE=1
// turns it off. Imported after enabling, so the whole CLI is covered.
enableCompileCache();
await import('../dist/cli/main.js');
