#!/usr/bin/env node
import '@chatops/core/cli';
