export { run } from './run';
export type { CliIo } from './io';
