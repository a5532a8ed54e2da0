#!/usr/bin/env node
// The CLI as @chatops/core ships it: its bin turns on the compile cache, then runs the command.
import '@chatops/core/bin';
