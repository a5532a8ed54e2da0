#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// The compile cache, as in @chatops/core's bin (see there): enabled before the CLI is imported.
enableCompileCache();
await import('@chatops/core/cli');
