#!/usr/bin/env node
// `ltc` as an installed command: loads the TypeScript sources through tsx, then runs the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
