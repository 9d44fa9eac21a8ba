#!/usr/bin/env node
// Runs the TypeScript CLI without a build step. `tsx/esm/api` is resolved from this file's
// location, i.e. from this package's own dependencies, whatever the caller's working directory.
import { register } from 'tsx/esm/api';

register();

const { main } = await import('../src/cli.ts');
await main(process.argv.slice(2));
